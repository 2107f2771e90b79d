import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { main, type CliIo } from "@gradspec/runner";

/** A CliIo that keeps what the command printed. */
export function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  return { out: (t) => void (out += t), err: (t) => void (err += t), stdout: () => out, stderr: () => err };
}

/** Runs the gradspec command in this process, returning its exit code and what it printed. */
export async function runCommand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** A function writing `name`.yaml with `text` into `dir`, returning its path. */
export function specWriter(dir: string): (name: string, text: string) => string {
  return (name, text) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, text);
    return file;
  };
}
