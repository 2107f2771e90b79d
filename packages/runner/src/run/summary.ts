import type { ParameterCheck } from "@gradspec/autograd";
import type { ErrorDistribution } from "../experiments/gradcheck-errors.js";
import type { FinalMetrics } from "../experiments/train-once.js";
import type { EpochMetrics, SweepTrial } from "../report/types.js";
import type { EarlyTerminate, Experiment } from "../spec/types.js";
import type { Decision } from "../sweep/core/history.js";

export type RunStatus = "completed" | "diverged" | "failed";

export interface TrainedRun {
  name: string;
  /** failed: only a sweep's final retraining whose worker or spec failed. */
  status: "completed" | "diverged" | "failed";
  message?: string;
  diverged?: { epoch: number; batch: number };
  /** Early stopping ended the run at `epoch`; final metrics and the checkpoint are those of `bestEpoch`. */
  stopped?: { epoch: number; bestEpoch: number; best: number; metric: string };
  final: FinalMetrics;
  history: EpochMetrics[];
  seconds: number;
}

export interface GradcheckCase {
  lambda: number;
  batch: number;
  mode: "all" | "random";
  /** mode all: elements sampled per parameter; absent: every element. */
  sample?: number;
  h: number;
  eps: number;
  parameters: ParameterCheck[];
  seconds: number;
  /** Mode all: where the relative errors lie (histogram; block maxima for matrices), bounded in size. */
  errors?: ErrorDistribution[];
}

export interface SweepStageSummary {
  name: string;
  epochs: number;
  ranges: Record<string, unknown>;
  earlyTerminate?: EarlyTerminate;
  /** Ranked best first: completed, then pruned (longest trained first), then diverged and failed. */
  trials: (SweepTrial & { id: string; index: number; message?: string; decisions?: Decision[] })[];
}

/** summary.json: everything `gradspec report` needs to draw the tables and plots again. */
export interface RunSummary {
  name: string;
  experiment: Experiment;
  status: RunStatus;
  message?: string;
  started: string;
  seconds: number;
  train?: TrainedRun;
  gradcheck?: { cases: GradcheckCase[] };
  compare?: { variants: TrainedRun[] };
  sweep?: { metric: string; goal: string; parameters: string[]; stages: SweepStageSummary[]; final?: TrainedRun[] };
}
