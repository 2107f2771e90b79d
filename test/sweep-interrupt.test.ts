import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSpecFile, quietProgress, type RunSummary } from "@gradspec/runner";
import { spawnGradspec, trialLines, waitFor } from "./helpers/gradspec-process.js";

const dir = mkdtempSync(join(tmpdir(), "gradspec-sweep-int-"));
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

const logged = (out: string): Logged[] => trialLines<Logged>(out);


/** Runs `gradspec run` in a child process and sends it SIGINT once `after` trials are logged. */
async function interruptedRun(file: string, out: string, after: number): Promise<{ code: number | null; stderr: string; secondsToExit: number }> {
  const child = spawnGradspec(["run", file, "--out", out, "--quiet"]);
  let done = false;
  void child.exited.then(() => (done = true));
  await waitFor(`${after} trials`, () => done || logged(out).length >= after);
  const sent = performance.now();
  child.child.kill("SIGINT");
  const { code } = await child.exited;
  return { code, stderr: child.stderr(), secondsToExit: (performance.now() - sent) / 1000 };
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
