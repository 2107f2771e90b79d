import { registeredLayerTypes } from "@gradspec/nn";
import type { DataCache } from "../data/data-cache.js";
import { inProcessRunner, type TrialRunner } from "./trial-runner.js";
import { WorkerTrialRunner } from "./worker-runner.js";

export interface RunnerRequest {
  /** Trials at once; 1 runs them in this thread. */
  parallel: number;
  /** Trials about to run (no more workers than that start now). */
  pending: number;
  specDir: string;
  /** This thread's data, for the in-process runner. */
  data: DataCache;
  log: (line: string) => void;
}

/**
 * Worker threads for parallel > 1, unless the spec may need a layer type registered by a plugin in
 * this thread only (workers load the built-in layers, not --plugin modules): then in-process.
 */
export function openTrialRunner(request: RunnerRequest): TrialRunner {
  if (request.parallel <= 1) return inProcessRunner(request.data);
  const runner = WorkerTrialRunner.start(request.parallel, Math.min(request.parallel, request.pending), request.specDir);
  let missing: string[];
  try {
    const known = new Set(runner.layers());
    missing = registeredLayerTypes().filter((type) => !known.has(type));
  } catch (error) {
    runner.close();
    throw error;
  }
  if (missing.length === 0) return runner;
  runner.close();
  request.log(`layer type(s) ${missing.join(", ")} come from a plugin that worker threads do not load: trials run one at a time in this thread`);
  return inProcessRunner(request.data);
}
