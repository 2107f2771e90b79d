import type { SegmentOutput } from "./executors/executor.js";
import type { EpochReport, SegmentJob } from "./segment.js";

/** A DataError (missing data folder, bad file) ends the sweep as it ends a train run. */
export interface DataProblem {
  file: string;
  detail: string;
}

export interface TrialWorkerData {
  /** Where a spec's relative data.dir is resolved from. */
  specDir: string;
  /** --plugin modules to import before the first segment (absolute paths or package names). */
  plugins: readonly string[];
}

export type ToTrialWorker = { type: "run"; job: SegmentJob; checkpoint?: Uint8Array };

export type FromTrialWorker =
  | { type: "ready"; layers: string[] }
  | { type: "epoch"; report: EpochReport }
  | { type: "result"; output: SegmentOutput }
  | { type: "data-error"; problem: DataProblem };
