/**
 * `npm run bench`: one run, one report. Kernel GFLOP/s; forward+backward and training-step times
 * for the plain and the best kernels (with a warm-step allocation check); seconds per CIFAR-10
 * epoch; a sweep's trials per minute on 1 and 2 worker threads and queue workers, and early
 * termination on a §3-shaped search; PyTorch and TensorFlow.js peers where
 * installed; peak memory; the every-element gradient check, old method and new. Printed as Markdown
 * and written to .bench/latest.md. `--only kernels,step,peers,gradcheck` (keys in `section` calls) runs
 * those sections alone.
 */
import { DROPPED_BLAS_ENV } from "./blas-env.js";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nativeBlasThreads, nativeUnavailableReason, wasmUnavailableReason } from "@gradspec/autograd";
import { benchKernels } from "./kernels.js";
import { benchGradcheck } from "./gradcheck.js";
import { loadBenchData, trainSplit, type BenchData } from "./data.js";
import { benchEpoch } from "./epoch.js";
import { benchForwardBackward } from "./fwdbwd.js";
import { PeakMemory, type MemoryPeaks } from "./memory.js";
import { benchPeers } from "./peers/index.js";
import { STEP_LABEL } from "./network.js";
import { benchSteps, kernelVariants, runSteps, type Kernels } from "./step.js";
import { benchPruning, benchQueue, benchThreads, pruningTable, SEARCH_LABEL, throughputTable, throughputLabel, TRIALS } from "./sweep.js";
import { markdownTable, Report } from "./table.js";
import { bestMedian, fmt } from "./timing.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const GOAL_MS = 6;
const SWEEP_GOAL = 1.8;

const report = new Report();
const memory = new PeakMemory();
let failed = false;

function loadNow(): string {
  return loadavg().map((x) => x.toFixed(2)).join(", ");
}

/** `--only kernels,step,…` runs those sections alone (keys below); by default every one. */
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? new Set((process.argv[onlyAt + 1] ?? "").split(",")) : null;

async function section(key: string, title: string, body: () => Promise<string[]>): Promise<void> {
  if (only !== null && !only.has(key)) return;
  const started = performance.now();
  let parts: string[];
  try {
    parts = await body();
  } catch (error) {
    failed = true;
    parts = [`**failed:** ${error instanceof Error ? error.stack ?? error.message : String(error)}`];
  }
  memory.sample();
  const seconds = (performance.now() - started) / 1000;
  report.section(title, ...parts, `_${seconds.toFixed(1)} s; load average (1, 5, 15 min) after: ${loadNow()}_`);
}

const bytes = (b: number): string => (Math.abs(b) < 1024 ? `${b.toFixed(0)} B` : `${(b / 1024).toFixed(1)} KiB`);

function memoryRows(label: string, p: MemoryPeaks): string[] {
  const mib = (x: number): string => x.toFixed(0);
  return [label, mib(p.maxRssMiB), mib(p.rssMiB), mib(p.heapUsedMiB), mib(p.heapTotalMiB), mib(p.arrayBuffersMiB)];
}

async function main(): Promise<void> {
  const cpu = cpus();
  report.note(`# gradspec benchmark — ${new Date().toISOString()}`);
  report.note(`Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}; load average at start (1, 5, 15 min): ${loadNow()}`);
  report.note("Timing noise on these hosts is about ±30%: figures are best / median, variants interleaved in this process.");
  report.note(
    DROPPED_BLAS_ENV.length === 0
      ? "OpenBLAS (native kernels, PyTorch) picks its kernels for this CPU: no OPENBLAS_CORETYPE set.\n"
      : `Unset for this run, so that OpenBLAS (native kernels, PyTorch) picks its kernels for this CPU: ${DROPPED_BLAS_ENV.join(", ")}.\n`,
  );

  const variants: Kernels[] = kernelVariants();
  const best = variants[variants.length - 1];
  let data: BenchData | null = null;

  await section("kernels", "1. Kernels (GFLOP/s, best / median of 15)", async () => {
    if (best.name === "plain") return [`WebAssembly kernels unavailable (${wasmUnavailableReason() ?? "unknown reason"}): plain kernels only.`];
    const rows = await benchKernels();
    const cell = (s: { best: number; median: number }): string => `${s.best.toFixed(2)} / ${s.median.toFixed(2)}`;
    const nativeNote = nativeUnavailableReason() === null ? `native: OpenBLAS dgemm, ${nativeBlasThreads() ?? 1} thread(s), operands in place.` : `native kernels unavailable: ${nativeUnavailableReason()}.`;
    return [
      markdownTable(
        ["case", "shape", "plain", "wasm (in wasm memory)", "wasm + copy in/out", "native", "wasm ÷ plain (median)", "native ÷ wasm (median)"],
        rows.map((r) => [
          r.name,
          r.shape,
          cell(r.plainGflops),
          cell(r.wasmGflops),
          cell(r.wasmCopyGflops),
          r.nativeGflops === null ? "—" : cell(r.nativeGflops),
          `${r.ratio.toFixed(1)}×`,
          r.nativeGflops === null ? "—" : `${(r.nativeGflops.median / r.wasmGflops.median).toFixed(1)}×`,
        ]),
        ["left", "left"],
      ),
      nativeNote,
    ];
  });

  await section("fwdbwd", "2a. One forward + backward, 3072 → 50 → 10, batch 100 (ms, 20 reps)", async () => {
    const rows = await benchForwardBackward(variants);
    const plain = rows[0].ms.median;
    return [
      markdownTable(
        ["kernels", "best ms", "median ms", "speed-up vs plain (median)"],
        rows.map((r) => [r.kernels, fmt(r.ms.best), fmt(r.ms.median), `${(plain / r.ms.median).toFixed(1)}×`]),
      ),
    ];
  });

  data = loadBenchData();
  memory.sample();
  report.note(`Data: ${data.description}.\n`);
  const split10k = trainSplit(data, 10_000);

  await section("step", `2b. Training step, ${STEP_LABEL}, float64 (\`train\` from @gradspec/nn)`, async () => {
    const rows = await benchSteps(split10k.train, variants, {
      rounds: 3,
      stepsFor: (name) => (name === "plain" ? 8 : 40),
      tick: () => memory.sample(),
    });
    const bestRow = rows[rows.length - 1];
    const table = markdownTable(
      ["kernels", "ms/step best", "ms/step median", "batch fill ms (median)", "steps timed", "warm step: ArrayBuffer growth", "warm step: JS heap growth", "GCs in window"],
      rows.map((r) => [
        r.kernels,
        fmt(r.step.best),
        fmt(r.step.median),
        fmt(r.fill.median),
        String(r.step.count),
        r.allocation === null ? "—" : `${bytes(r.allocation.arrayBufferBytesPerStep)}/step`,
        r.allocation === null ? "—" : `${bytes(r.allocation.heapBytesPerStep)}/step`,
        r.allocation === null ? "—" : `${r.allocation.gcs} in ${r.allocation.steps} steps`,
      ]),
    );
    const verdict =
      `Goal ≤ ${GOAL_MS} ms/step (one thread, float64): ${bestRow.kernels} median ${fmt(bestRow.step.median)} ms — ` +
      `${bestRow.step.median <= GOAL_MS ? "met" : "not met"} (best ${fmt(bestRow.step.best)} ms).`;
    const alloc = rows
      .map((r) => {
        const a = r.allocation;
        if (a === null) return `${r.kernels}: no allocation figures.`;
        const buffers = a.arrayBufferBytesPerStep <= 0 ? "no ArrayBuffer storage" : `${bytes(a.arrayBufferBytesPerStep)} of ArrayBuffer storage`;
        return `${r.kernels}: a warm step allocates ${buffers}${a.gcs > 0 ? " (a GC ran in the window: lower bound)" : ""}; JS heap ${bytes(a.heapBytesPerStep)}/step of small objects (tensor headers, tape records); RSS ${bytes(a.rssBytesPerStep)}/step.`;
      })
      .join("\n");
    const note =
      "Step = interval between consecutive `onBatch` events minus the batch fill (CIFAR bytes → standardized float64), which is shown apart. " +
      "Allocation: growth of `process.memoryUsage()` across the timed steps of a separate run after a forced GC.";
    return [table, verdict, alloc, note];
  });

  const benchData = data;
  await section("epoch", "3. CIFAR-10 epoch (seconds; one epoch each)", async () => {
    const split49k = trainSplit(benchData, 49_000);
    const runs = [benchEpoch(split10k, best, () => memory.sample()), benchEpoch(split49k, best, () => memory.sample())];
    if (best.name !== "plain") runs.push(benchEpoch(split10k, variants[0], () => memory.sample()));
    const table = markdownTable(
      ["kernels", "split", "steps", "training s", "evaluation s (train + validation sets)", "total s", "train acc", "val acc"],
      runs.map((r) => [
        r.kernels,
        r.split,
        String(r.steps),
        r.stepSeconds.toFixed(2),
        r.evalSeconds.toFixed(2),
        (r.stepSeconds + r.evalSeconds).toFixed(2),
        `${(100 * r.trainAccuracy).toFixed(1)}%`,
        `${(100 * r.validationAccuracy).toFixed(1)}%`,
      ]),
      ["left", "left"],
    );
    const source = benchData.real ? "real CIFAR-10 bytes" : "**synthetic bytes** (accuracies meaningless)";
    return [table, `Data: ${source}. Training seconds include the batch fills; evaluation runs in eval mode in chunks of 1,000.`];
  });

  const sweepDir = mkdtempSync(join(tmpdir(), "gradspec-bench-sweep-"));
  await section("sweep", "4a. Sweep throughput: worker threads and queue worker processes", async () => {
    const threads = await benchThreads(sweepDir, 3);
    const queue = await benchQueue(sweepDir, 3);
    const rows = typeof queue === "string" ? threads : [...threads, ...queue];
    const parts = [throughputLabel(), throughputTable(rows)];
    if (typeof queue === "string") parts.push(queue);
    for (const family of ["threads", "queue"] as const) {
      const one = rows.find((r) => r.family === family && r.workers === 1);
      const two = rows.find((r) => r.family === family && r.workers === 2);
      if (one === undefined || two === undefined) continue;
      const gain = two.trialsPerMinute / one.trialsPerMinute;
      parts.push(`Goal for ${two.executor}: 2 ≥ ${SWEEP_GOAL}× one — ${gain >= SWEEP_GOAL ? "met" : "not met"} (${gain.toFixed(2)}×; other processes on the host take cores too).`);
    }
    const thread2 = rows.find((r) => r.family === "threads" && r.workers === 2);
    const queue2 = rows.find((r) => r.family === "queue" && r.workers === 2);
    if (thread2 !== undefined && queue2 !== undefined) {
      parts.push(`Queue overhead next to 2 worker threads: ${(((queue2.seconds - thread2.seconds) / TRIALS) * 1000).toFixed(0)} ms per trial (enqueueing, Redis round trips, the result through the events stream; negative: the processes ran faster).`);
    }
    return parts;
  });

  await section("pruning", "4b. Early termination on a §3-shaped search (real CIFAR-10)", async () => {
    const rows = await benchPruning(sweepDir);
    return typeof rows === "string" ? [rows] : [SEARCH_LABEL, pruningTable(rows)];
  });
  rmSync(sweepDir, { recursive: true, force: true });

  const oursPeak = memory.peaks();

  await section("peers", `5. Peers: the same step (${STEP_LABEL})`, async () => {
    const fast = variants.length > 1 ? variants.filter((v) => v.name !== "plain").reverse() : variants;
    const phase = await benchPeers(fast.map((v) => ({ name: v.name, steps: (n: number) => runSteps(split10k.train, v, { steps: n, warmup: 3, seed: 5 }).stepMs })));
    const reference = phase.ours[0];
    const rows = [
      ...phase.ours.map((o, i) => [
        `gradspec ${o.name}, float64`,
        bestMedian(o.ms),
        `${(o.ms.median / reference.ms.median).toFixed(1)}×`,
        i === 0 ? "the reference; every gradspec row timed interleaved with the peers below" : "interleaved with the peers",
      ]),
      ...phase.peers.map((p) =>
        p.ms === undefined
          ? [p.name, "—", "—", p.skipped ?? "skipped"]
          : [p.name, bestMedian(p.ms), `${(p.ms.median / reference.ms.median).toFixed(1)}×`, p.detail],
      ),
    ];
    return [
      markdownTable(["implementation", "ms/step best / median", `÷ gradspec ${reference.name} (median)`, "notes"], rows, ["left", "right", "right", "left"]),
      "A ratio above 1 means slower than the reference. tfjs runs float32 (it has no float64); PyTorch and gradspec float64.",
    ];
  });

  await section("memory", "6. Peak memory (MiB)", async () => [
    markdownTable(
      ["part of the run", "max RSS (kernel)", "RSS (sampled)", "heap used", "heap total", "ArrayBuffers"],
      [memoryRows("gradspec sections (1–4; queue workers are other processes)", oursPeak), memoryRows("whole run (incl. tfjs peer in process)", memory.peaks())],
    ),
    "The wasm kernels' memory (arenas) is inside a WebAssembly.Memory and counts in RSS; CIFAR-10 is kept as bytes (150 MB).",
  ]);

  await section("gradcheck", "7. Every-element gradient check, 3072 → 50 → 10 (154,160 elements, examples/gradcheck-network.ts)", async () => {
    const workers = Math.max(1, cpus().length);
    const g = await benchGradcheck(best, workers);
    const oldTotal = g.oldSecondsPerElement * g.elements;
    const worstMax = Math.max(...g.report.parameters.map((p) => p.max));
    const worstMean = Math.max(...g.report.parameters.map((p) => p.mean));
    return [
      markdownTable(
        ["method", "seconds per element", "seconds for every element", "how measured"],
        [
          ["old: every evaluation in full, 1 thread", g.oldSecondsPerElement.toExponential(2), oldTotal.toFixed(0), `${g.oldSampled} elements of W1 timed, scaled to ${g.elements}`],
          ["new: reuse, 1 thread", g.newSingleSecondsPerElement.toExponential(2), (g.newSingleSecondsPerElement * g.elements).toFixed(0), "3000 elements of W1 timed, scaled"],
          [`new: reuse, ${g.newWorkers} worker threads`, (g.newSeconds / g.elements).toExponential(2), g.newSeconds.toFixed(1), "the whole check, timed"],
        ],
        ["left", "right", "right", "left"],
      ),
      `Kernels: ${best.name}. Speed-up of the whole check: ${(oldTotal / g.newSeconds).toFixed(0)}×. Largest max relative error ${worstMax.toExponential(2)}, largest mean ${worstMean.toExponential(2)} (goal ≤ 1e-5 and ≤ 1e-8).`,
    ];
  });

  const dir = join(REPO, ".bench");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "latest.md"), report.toMarkdown());
  console.log(`Written to ${join(dir, "latest.md")}`);
  if (failed) process.exitCode = 1;
}

await main();
