import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = new URL("../../packages/runner/src/cli.ts", import.meta.url).href;

export interface GradspecProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

const bin = fileURLToPath(new URL("../../packages/runner/bin/gradspec.js", import.meta.url));

/**
 * `gradspec ARGS` in a child process (as a user runs it, killable): from the TypeScript sources, or with
 * `built`, the command `npm ci` built (what users run; tsx's loader thread costs a process ~15 % of a
 * core, so timings use this).
 */
export function spawnGradspec(args: readonly string[], env: Record<string, string> = {}, options: { built?: boolean } = {}): GradspecProcess {
  const script = `const { runCli } = await import(${JSON.stringify(cli)}); await runCli(process.argv.slice(1));`;
  const command = options.built === true ? [bin, ...args] : ["--import", "tsx", "--input-type=module", "-e", script, ...args];
  const child = spawn(process.execPath, command, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited, stdout: () => out, stderr: () => err };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it holds; fails after `seconds`, saying what it waited for. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${seconds} s for ${what}`);
    await sleep(50);
  }
}

/** The intact records of a run folder's trials.jsonl (a torn last line is left out, as a resume does). */
export function trialLines<T = { id: string; status: string; metric: number | string }>(out: string): T[] {
  const file = join(out, "trials.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{") && line.endsWith("}"))
    .map((line) => JSON.parse(line) as T);
}
