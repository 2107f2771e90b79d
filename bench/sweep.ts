/**
 * Sweeps: trials per minute on 1 and 2 worker threads and on 1 and 2 queue worker processes (BullMQ on
 * a private Redis), and a §3-shaped search on real CIFAR-10 without early termination, with successive
 * halving and with ASHA. Run alone: `npx tsx bench/sweep.ts`.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runSpecFile, quietProgress, type RunSummary } from "../packages/runner/src/index.js";
import { QueueExecutor } from "../packages/runner/src/sweep/queue/queue-executor.js";
import { parseRedisUrl } from "../packages/runner/src/sweep/queue/redis-link.js";
import { spawnGradspec, waitFor, type GradspecProcess } from "../test/helpers/gradspec-process.js";
import { privateRedis, redisUnavailable } from "../test/helpers/redis.js";
import { cifarFolder } from "./data.js";
import { markdownTable } from "./table.js";

export interface ThroughputRow {
  /** Rows of one family are compared with its 1-worker row. */
  family: "threads" | "queue";
  executor: string;
  workers: number;
  trialsPerMinute: number;
  seconds: number;
}

export const TRIALS = 20;

/** Real CIFAR-10 when the folder has it; otherwise synthetic images (whose generation takes ~1 s per worker). */
function hasCifar(): boolean {
  return existsSync(join(cifarFolder(), "data_batch_1.bin")) && existsSync(join(cifarFolder(), "data_batch_2.bin"));
}

const dataDir = (): string[] => (hasCifar() ? [`data.dir=${cifarFolder()}`] : []);

const CIFAR_DATA = "data: { source: cifar10, train: [data_batch_1], validation: [data_batch_2], test: [], limit: { train: 5000, validation: 1000 } }";
const SYNTHETIC_DATA = "data: { source: synthetic, synthetic: { classes: 10, dim: 3072, train: 5000, validation: 1000, test: 0, spread: 3, seed: 1 } }";

/** Trials of a few seconds (so that starting workers, included in the time, does not dominate). */
const throughputSpec = (): string => `experiment: sweep
name: bench-sweep
${hasCifar() ? CIFAR_DATA : SYNTHETIC_DATA}
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

export const throughputLabel = (): string =>
  `${TRIALS} trials × 3 epochs on 5,000 ${hasCifar() ? "CIFAR-10 images (data_batch_1; validation: 1,000 of data_batch_2)" : "synthetic samples of 3072 features (no CIFAR-10 here)"}, 3072→50→30→10 with batch norm; workers started before the clock, each loads the data on its first trial`;

async function timed(run: () => Promise<RunSummary>): Promise<number> {
  const t0 = performance.now();
  const summary = await run();
  if (summary.status !== "completed") throw new Error(`bench sweep: ${summary.message ?? summary.status}`);
  return (performance.now() - t0) / 1000;
}

/** 1 and 2 worker threads, alternating `rounds` times; each count's fastest. */
export async function benchThreads(dir: string, rounds = 2): Promise<ThroughputRow[]> {
  const file = join(dir, "throughput.yaml");
  writeFileSync(file, throughputSpec());
  const best = new Map<number, number>();
  for (let round = 0; round < rounds; round++) {
    for (const workers of [1, 2]) {
      const out = join(dir, `threads-${workers}-${round}`);
      const overrides = [`sweep.parallel=${workers}`, ...dataDir()];
      const seconds = await timed(async () => (await runSpecFile(file, { out, overrides, progress: quietProgress })).summary);
      best.set(workers, Math.min(best.get(workers) ?? Number.POSITIVE_INFINITY, seconds));
    }
  }
  return [...best].map(([workers, seconds]) => ({
    family: "threads" as const,
    executor: workers === 1 ? "this thread (sweep.parallel: 1)" : "worker threads",
    workers,
    seconds,
    trialsPerMinute: (60 * TRIALS) / seconds,
  }));
}

/**
 * 1 and 2 `gradspec worker` processes (one trial at a time each, the built command, as users run it)
 * on a private Redis, this process the controller; workers are started (and have connected) before
 * the clock starts, as they would be waiting on a real queue. The reason instead when redis-server is
 * not installed or the runner is not built.
 */
export async function benchQueue(dir: string, rounds = 2): Promise<ThroughputRow[] | string> {
  const missing = redisUnavailable();
  if (missing !== undefined) return `queue: skipped (${missing}; \`apt-get install redis-server\`)`;
  if (!existsSync(new URL("../packages/runner/dist/cli.js", import.meta.url))) return "queue: skipped (the runner is not built; npm run build)";
  const redis = await privateRedis();
  const file = join(dir, "throughput.yaml");
  writeFileSync(file, throughputSpec());
  const address = parseRedisUrl(redis.url);
  const best = new Map<number, number>();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const count of [1, 2]) {
        const workers: GradspecProcess[] = Array.from({ length: count }, () => spawnGradspec(["worker", "--queue", redis.url, "--concurrency", "1", ...(hasCifar() ? ["--data", cifarFolder()] : [])], {}, { built: true }));
        try {
          await waitFor("the queue workers to connect", () => workers.every((w) => w.stderr().includes("taking trials")), 60);
          const out = join(dir, `queue-${count}-${round}`);
          const openExecutor = (identity: { hash: string }, specDir: string): Promise<QueueExecutor> =>
            QueueExecutor.open({ address, sweep: identity.hash.slice(0, 16), specDir, log: () => undefined });
          const seconds = await timed(async () => (await runSpecFile(file, { out, progress: quietProgress, openExecutor, overrides: dataDir() })).summary);
          best.set(count, Math.min(best.get(count) ?? Number.POSITIVE_INFINITY, seconds));
        } finally {
          for (const w of workers) w.child.kill("SIGTERM");
          await Promise.all(workers.map((w) => w.exited));
        }
      }
    }
  } finally {
    await redis.stop();
  }
  return [...best].map(([workers, seconds]) => ({ family: "queue" as const, executor: "queue worker processes", workers, seconds, trialsPerMinute: (60 * TRIALS) / seconds }));
}

export interface PruningRow {
  rule: string;
  completed: number;
  pruned: number;
  trialEpochs: number;
  fullEpochs: number;
  seconds: number;
  best: number;
  bestParams: string;
}

const SEARCH_TRIALS = 27;
const SEARCH_EPOCHS = 9;

/** §3's first fine stage, reduced: 27 trials × 9 epochs on 5,000 images of data_batch_1, ranked on 5,000 of data_batch_2. */
function searchSpec(earlyTerminate: string): string {
  return `experiment: sweep
name: bench-search
data: { source: cifar10, train: [data_batch_1], validation: [data_batch_2], test: [], limit: { train: 5000, validation: 5000 } }
model: { hidden: [50, 30], batchNorm: true, init: he }
training: { optimizer: { momentum: 0.7, variant: report }, schedule: { type: exponential, decay: 0.99 }, batchSize: 100, seed: 1 }
sweep:
  method: random
  seed: 3
  parallel: 2
  metric: validation.accuracy
  parameters:
    training.learningRate: { logUniform: [1e-3, 0.8] }
    training.lambda: { logUniform: [1e-6, 1e-3] }
  stages:
    - { name: fine, trials: ${SEARCH_TRIALS}, epochs: ${SEARCH_EPOCHS}${earlyTerminate === "" ? "" : `, earlyTerminate: ${earlyTerminate}`} }
`;
}

export const SEARCH_LABEL = `${SEARCH_TRIALS} trials × ${SEARCH_EPOCHS} epochs of §3's first fine stage (η ∈ (1e-3, 0.8), λ ∈ (1e-6, 1e-3)), 5,000 images of data_batch_1, ranked on 5,000 of data_batch_2, 2 worker threads`;

/** No early termination, successive halving and ASHA on the same search (real CIFAR-10 only). */
export async function benchPruning(dir: string): Promise<PruningRow[] | string> {
  const data = cifarFolder();
  if (!hasCifar()) return `pruning: skipped (no CIFAR-10 in ${data}; set GRADSPEC_DATA to the folder of data_batch_1.bin)`;
  const rules: [string, string][] = [
    ["none", ""],
    ["successive halving (η 3, rungs 1, 3)", "{ type: successiveHalving, reductionFactor: 3 }"],
    ["ASHA (η 3, rungs 1, 3)", "{ type: asha, reductionFactor: 3 }"],
  ];
  const rows: PruningRow[] = [];
  for (const [rule, earlyTerminate] of rules) {
    const file = join(dir, `search-${rows.length}.yaml`);
    writeFileSync(file, searchSpec(earlyTerminate));
    const t0 = performance.now();
    const { summary } = await runSpecFile(file, { out: join(dir, `search-${rows.length}`), progress: quietProgress, overrides: [`data.dir=${data}`] });
    const seconds = (performance.now() - t0) / 1000;
    const trials = summary.sweep?.stages[0]?.trials ?? [];
    const best = trials[0];
    rows.push({
      rule,
      completed: trials.filter((t) => t.status === "ok").length,
      pruned: trials.filter((t) => t.status === "pruned").length,
      trialEpochs: trials.reduce((sum, t) => sum + (t.epochs ?? SEARCH_EPOCHS), 0),
      fullEpochs: trials.length * SEARCH_EPOCHS,
      seconds,
      best: best?.metric ?? Number.NaN,
      bestParams: best === undefined ? "—" : Object.entries(best.params).map(([k, v]) => `${k.split(".").pop()} ${v.toPrecision(4)}`).join(", "),
    });
  }
  return rows;
}

export function throughputTable(rows: readonly ThroughputRow[]): string {
  const base = (r: ThroughputRow): number | undefined => rows.find((o) => o.family === r.family && o.workers === 1)?.trialsPerMinute;
  return markdownTable(
    ["executor", "workers", "trials / minute", "seconds", "vs 1 worker", "seconds per trial"],
    rows.map((r) => [r.executor, String(r.workers), r.trialsPerMinute.toFixed(1), r.seconds.toFixed(1), `${(r.trialsPerMinute / (base(r) ?? Number.NaN)).toFixed(2)}×`, (r.seconds / TRIALS).toFixed(2)]),
    ["left", "right"],
  );
}

export function pruningTable(rows: readonly PruningRow[]): string {
  const full = rows[0];
  return markdownTable(
    ["early termination", "completed / pruned", "trial-epochs", "of unpruned", "wall s", "vs unpruned", "best validation accuracy", "best trial"],
    rows.map((r) => [
      r.rule,
      `${r.completed} / ${r.pruned}`,
      `${r.trialEpochs} of ${r.fullEpochs}`,
      `${((100 * r.trialEpochs) / (full?.trialEpochs ?? Number.NaN)).toFixed(0)} %`,
      r.seconds.toFixed(1),
      `${(r.seconds / (full?.seconds ?? Number.NaN)).toFixed(2)}×`,
      r.best.toFixed(4),
      r.bestParams,
    ]),
    ["left", "right", "right", "right", "right", "right", "right", "left"],
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "gradspec-bench-sweep-"));
  try {
    const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
    const threads = await benchThreads(dir, rounds);
    const queue = await benchQueue(dir, rounds);
    console.log(`${throughputLabel()}\n\n${throughputTable(typeof queue === "string" ? threads : [...threads, ...queue])}`);
    if (typeof queue === "string") console.log(queue);
    const pruning = await benchPruning(dir);
    console.log(typeof pruning === "string" ? pruning : `\n${SEARCH_LABEL}\n\n${pruningTable(pruning)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
