/** The first line of an error's message: records and logs never carry stack traces. */
export function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] || (error instanceof Error ? error.name : "error");
}
