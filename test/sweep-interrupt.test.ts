import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runSpecFile, quietProgress, type RunSummary } from "@gradspec/runner";

const dir = mkdtempSync(join(tmpdir(), "gradspec-sweep-int-"));
const root = fileURLToPath(new URL("..", import.meta.url));
const src = (path: string): string => new URL(`../packages/runner/src/${path}`, import.meta.url).href;
const TRIALS = 12;

const text = `experiment: sweep
data:
  source: synthetic
  synthetic: { classes: 4, dim: 40, train: 1500, validation: 100, test: 0, spread: 3, seed: 2 }
model:
  hidden: [64]
  batchNorm: true
training:
  optimizer: { momentum: 0.9 }
  batchSize: 50
  seed: 5
sweep:
  method: random
  seed: 11
  parallel: 2
  metric: validation.loss
  goal: minimize
  parameters:
    training.learningRate: { logUniform: [1e-3, 0.3] }
    training.lambda: { logUniform: [1e-6, 1e-2] }
  stages:
    - { name: coarse, trials: ${TRIALS}, epochs: 3 }
  top: 3
`;

interface Logged {
  id: string;
  status: string;
  metric: number | string;
}

function logged(out: string): Logged[] {
  if (!existsSync(join(out, "trials.jsonl"))) return [];
  return readFileSync(join(out, "trials.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{") && line.endsWith("}"))
    .map((line) => JSON.parse(line) as Logged);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `gradspec run` (from the sources) in a child process and sends it SIGINT once `after` trials
 * are logged.
 */
async function interruptedRun(file: string, out: string, after: number): Promise<{ code: number | null; stderr: string; secondsToExit: number }> {
  const script = `const { runCli } = await import(${JSON.stringify(src("cli.ts"))}); await runCli(process.argv.slice(1));`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, "run", file, "--out", out, "--quiet"], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  while (!done && logged(out).length < after) await sleep(20);
  const sent = performance.now();
  child.kill("SIGINT");
  const code = await exited;
  return { code, stderr, secondsToExit: (performance.now() - sent) / 1000 };
}

describe("interrupting a parallel sweep", () => {
  it("SIGINT ends it at once with one line; resuming with parallel 2 repeats no finished trial and gives the same results", async () => {
    const file = join(dir, "sweep.yaml");
    writeFileSync(file, text);
    const out = join(dir, "interrupted");
    const { code, stderr, secondsToExit } = await interruptedRun(file, out, 2);
    expect(code).toBe(130);
    expect(stderr.trim()).toMatch(/^interrupted: \d+ finished trials are recorded in .*trials\.jsonl; run the same command with --out .*interrupted to resume$/);
    expect(secondsToExit).toBeLessThan(2);
    const before = logged(out);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(TRIALS);

    await runSpecFile(file, { out, progress: quietProgress });
    const after = logged(out);
    const ids = after.map((t) => t.id);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(Array.from({ length: TRIALS }, (_, i) => `1-${i}`).sort());

    const reference = join(dir, "reference");
    await runSpecFile(file, { out: reference, overrides: ["sweep.parallel=1"], progress: quietProgress });
    const stages = (folder: string): unknown => (JSON.parse(readFileSync(join(folder, "summary.json"), "utf8")) as RunSummary).sweep?.stages;
    expect(stages(out)).toEqual(stages(reference));
  });
});
