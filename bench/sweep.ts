/**
 * Sweep throughput with trials in this thread (1 worker) and on 2 worker threads: a fixed small
 * CIFAR-like sweep (synthetic data of 3072 features, 3072→50→30→10 with batch norm, 8 trials × 3
 * epochs on 5,000 samples: trials of a few seconds, so that starting the workers — included in the
 * seconds — does not dominate as it would not in a real sweep). Run alone: `npx tsx bench/sweep.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { useBestBackend } from "../packages/autograd/src/index.js";
import { runSweep } from "../packages/runner/src/experiments/sweep.js";
import { RunFolder } from "../packages/runner/src/run/run-folder.js";
import { quietProgress } from "../packages/runner/src/run/progress.js";
import { loadSpecFile } from "../packages/runner/src/spec/index.js";
import { markdownTable } from "./table.js";

export interface SweepBenchRow {
  workers: number;
  trialsPerMinute: number;
  seconds: number;
}

const TRIALS = 8;

const SPEC = `experiment: sweep
name: bench-sweep
data:
  source: synthetic
  synthetic: { classes: 10, dim: 3072, train: 5000, validation: 1000, test: 0, spread: 3, seed: 1 }
model:
  hidden: [50, 30]
  batchNorm: true
training:
  optimizer: { momentum: 0.9 }
  batchSize: 100
  seed: 1
sweep:
  method: random
  seed: 1
  metric: validation.accuracy
  parameters:
    training.learningRate: { logUniform: [1e-3, 0.1] }
    training.lambda: { logUniform: [1e-5, 1e-2] }
  stages:
    - { name: coarse, trials: ${TRIALS}, epochs: 3 }
  top: 3
`;

/** One sweep per worker count, in one process; `rounds` > 1 alternates them and keeps each one's fastest. */
export async function benchSweep(rounds = 1): Promise<SweepBenchRow[]> {
  useBestBackend();
  const dir = mkdtempSync(join(tmpdir(), "gradspec-bench-sweep-"));
  try {
    const file = join(dir, "sweep.yaml");
    writeFileSync(file, SPEC);
    const best = new Map<number, number>();
    for (let round = 0; round < rounds; round++) {
      for (const workers of [1, 2]) {
        const seconds = timeSweep(file, join(dir, `run-${workers}-${round}`), workers);
        best.set(workers, Math.min(best.get(workers) ?? Number.POSITIVE_INFINITY, seconds));
        // Let the terminated workers' exit events run before the next measurement.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return [...best].map(([workers, seconds]) => ({ workers, seconds, trialsPerMinute: (60 * TRIALS) / seconds }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function timeSweep(file: string, out: string, workers: number): number {
  const loaded = loadSpecFile(file, { overrides: [`sweep.parallel=${workers}`] });
  if (loaded.spec.experiment !== "sweep") throw new Error("bench spec is not a sweep");
  const t0 = performance.now();
  const result = runSweep(loaded.spec, loaded.raw, { specFile: file, folder: new RunFolder(out), progress: quietProgress });
  const seconds = (performance.now() - t0) / 1000;
  if (result.status !== "completed") throw new Error(`bench sweep with ${workers} worker(s): ${result.message ?? result.status}`);
  return seconds;
}

async function main(): Promise<void> {
  const rows = await benchSweep(Number(process.env.BENCH_ROUNDS ?? 2));
  console.log(`sweep of ${TRIALS} trials × 3 epochs, 5,000 samples of 3072 features, 3072→50→30→10 with batch norm\n`);
  console.log(markdownTable(["workers", "seconds", "trials/min"], rows.map((r) => [String(r.workers), r.seconds.toFixed(2), r.trialsPerMinute.toFixed(1)])));
  const [one, two] = rows;
  if (one !== undefined && two !== undefined) console.log(`\n2 workers / 1: ${(two.trialsPerMinute / one.trialsPerMinute).toFixed(2)}×`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
