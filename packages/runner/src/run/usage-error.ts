/** The command line is wrong (an option, an argument, a combination): one line, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
