/**
 * The every-element gradient check of examples/gradcheck-network.ts (3072 → 50 → 10, 154,160
 * elements): seconds per element the old way (every evaluation in full, one thread; timed on a
 * sample of W1, where nearly all elements are, and scaled to every element) and the whole check the
 * new way (products and sums of squares reused, elements split over worker threads).
 */
import { gradcheck, gradcheckInWorkers, plainBackend, setBackend, type GradcheckReport } from "@gradspec/autograd";
import type { Kernels } from "./step.js";
import { gradcheckProblem } from "../examples/gradcheck-network-problem.js";

export interface GradcheckBench {
  elements: number;
  oldSampled: number;
  oldSecondsPerElement: number;
  newSingleSecondsPerElement: number;
  newWorkers: number;
  newSeconds: number;
  report: GradcheckReport;
}

const PROBLEM = { module: new URL("../examples/gradcheck-network-problem.ts", import.meta.url) };

/** Both methods on `kernels` (the workers use the caller's kernels too). */
export async function benchGradcheck(kernels: Kernels, workers: number): Promise<GradcheckBench> {
  setBackend(kernels.backend);
  try {
    return await bothMethods(workers);
  } finally {
    setBackend(plainBackend);
  }
}

async function bothMethods(workers: number): Promise<GradcheckBench> {
  const { f, params } = gradcheckProblem();
  const elements = Object.values(params).reduce((n, t) => n + t.size, 0);
  const timePerElement = (reuse: boolean, sample: number): number => {
    const started = performance.now();
    gradcheck(f, params, { only: ["W1"], sample, seed: 1, reuse });
    return (performance.now() - started) / 1000 / sample;
  };
  const oldSampled = 120;
  const oldSecondsPerElement = timePerElement(false, oldSampled);
  const newSingleSecondsPerElement = timePerElement(true, 3000);
  const started = performance.now();
  const report = await gradcheckInWorkers(PROBLEM, { workers });
  const newSeconds = (performance.now() - started) / 1000;
  return { elements, oldSampled, oldSecondsPerElement, newSingleSecondsPerElement, newWorkers: workers, newSeconds, report };
}
