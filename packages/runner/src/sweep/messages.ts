import type { MessagePort } from "node:worker_threads";
import type { SweepMetric, TrainSpec } from "../spec/types.js";
import type { TrialRecord } from "./trials-log.js";

/** One trial to train: its validated spec and where it sits in the sweep. */
export interface TrialJob {
  id: string;
  stage: number;
  index: number;
  params: Record<string, unknown>;
  spec: TrainSpec;
  metric: SweepMetric;
}

/** A DataError (missing data folder, bad file) ends the sweep as it ends a train run. */
export interface DataProblem {
  file: string;
  detail: string;
}

export interface TrialWorkerData {
  specDir: string;
}

export type ToTrialWorker = { type: "run"; job: TrialJob };

export type FromTrialWorker =
  | { type: "ready"; layers: string[] }
  | { type: "result"; record: TrialRecord }
  | { type: "data-error"; problem: DataProblem };

export interface PoolThreadData {
  /** At most this many trial workers... */
  size: number;
  /** ...of which this many start at once. */
  warm: number;
  specDir: string;
  /** URL of the trial workers' entry file. */
  trialWorker: string;
  port: MessagePort;
  /** Int32Array[0] is bumped after every message to the main thread, which waits on it. */
  signal: SharedArrayBuffer;
}

export type ToPool = { type: "run"; jobs: TrialJob[] };

export type FromPool =
  | { type: "started" }
  | { type: "ready"; layers: string[] }
  | { type: "result"; record: TrialRecord }
  | { type: "data-error"; problem: DataProblem }
  | { type: "fatal"; message: string };
