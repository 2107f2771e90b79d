/**
 * Milliseconds per training step of the report's network, through the real training loop (`train`
 * from @gradspec/nn): the time between consecutive `onBatch` events, less the time the loop spent
 * filling (standardizing) the batch, which is reported apart. Kernels are switched between rounds so
 * plain, wasm and native see the same host noise.
 */
import { nativeBackend, plainBackend, setBackend, wasmBackend, type Backend } from "@gradspec/autograd";
import { train, type BatchSource } from "@gradspec/nn";
import { timedSource } from "./data.js";
import { AllocationProbe, type AllocationReport } from "./memory.js";
import { reportNetwork, STEP, trainOptions } from "./network.js";
import { summarize, yieldToEventLoop, type Summary } from "./timing.js";

const PROBE_STEPS = 10;

export interface Kernels {
  readonly name: string;
  readonly backend: Backend;
}

/** The plain kernels and every other backend that loads, slowest first: the last is the best. */
export function kernelVariants(): Kernels[] {
  const variants: Kernels[] = [{ name: "plain", backend: plainBackend }];
  const wasm = wasmBackend();
  const native = nativeBackend();
  if (wasm !== null) variants.push({ name: "wasm", backend: wasm });
  if (native !== null) variants.push({ name: "native", backend: native });
  return variants;
}

export interface StepSamples {
  stepMs: number[];
  fillMs: number[];
}

export interface StepRunOptions {
  steps: number;
  warmup: number;
  seed: number;
  /** Probe allocations over the timed steps (forces one GC first; that step is not timed). */
  probe?: AllocationProbe;
  /** Called every 50 batches (memory sampling). */
  tick?: () => void;
}

/** Runs warmup + steps + 1 batches of one epoch with `kernels` active. */
export function runSteps(source: BatchSource, kernels: Kernels, options: StepRunOptions): StepSamples {
  const { steps, warmup, probe, tick } = options;
  const batches = warmup + steps + 1;
  const clock = { ms: 0 };
  const limited = timedSource(source, batches * STEP.batch, clock);
  const samples: StepSamples = { stepMs: [], fillMs: [] };
  let last = Number.NaN;
  let fillAtLast = 0;
  setBackend(kernels.backend);
  try {
    train(reportNetwork(options.seed), { train: limited }, trainOptions(options.seed, false), {
      onBatch: ({ batch }) => {
        const now = performance.now();
        // Interval batch−1 → batch covers the fill and the step of `batch`.
        if (batch > warmup + 1) {
          const fill = clock.ms - fillAtLast;
          samples.stepMs.push(now - last - fill);
          samples.fillMs.push(fill);
        }
        if (tick !== undefined && batch % 50 === 0) tick();
        if (probe !== undefined && batch === warmup + 1) probe.begin();
        if (probe !== undefined && batch === batches) probe.end(steps);
        last = performance.now();
        fillAtLast = clock.ms;
      },
    });
  } finally {
    setBackend(plainBackend);
  }
  return samples;
}

export interface StepResult {
  kernels: string;
  step: Summary;
  fill: Summary;
  allocation: AllocationReport | null;
}

export interface StepBenchOptions {
  rounds: number;
  /** Timed steps per round for a kernel set, by name (plain is slow). */
  stepsFor(name: string): number;
  tick?: () => void;
}

/** Interleaved rounds over every kernel set, then one allocation-probe run per set. */
export async function benchSteps(source: BatchSource, variants: readonly Kernels[], options: StepBenchOptions): Promise<StepResult[]> {
  const all = new Map<string, StepSamples>(variants.map((v) => [v.name, { stepMs: [], fillMs: [] }]));
  for (let round = 0; round < options.rounds; round++) {
    for (const v of variants) {
      const s = runSteps(source, v, { steps: options.stepsFor(v.name), warmup: 3, seed: 1 + round, tick: options.tick });
      const acc = all.get(v.name) as StepSamples;
      acc.stepMs.push(...s.stepMs);
      acc.fillMs.push(...s.fillMs);
      await yieldToEventLoop();
    }
  }
  const results: StepResult[] = [];
  for (const v of variants) {
    const probe = new AllocationProbe();
    // A short window after a forced GC, so that no collection hides what the steps allocated.
    runSteps(source, v, { steps: Math.min(PROBE_STEPS, options.stepsFor(v.name)), warmup: 5, seed: 99, probe });
    const acc = all.get(v.name) as StepSamples;
    results.push({ kernels: v.name, step: summarize(acc.stepMs), fill: summarize(acc.fillMs), allocation: await probe.result() });
  }
  return results;
}
