import type { CliIo } from "@gradspec/runner";

/** A CliIo that keeps what the command printed. */
export function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  return { out: (t) => void (out += t), err: (t) => void (err += t), stdout: () => out, stderr: () => err };
}
