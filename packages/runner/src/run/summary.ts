import type { ParameterCheck } from "@gradspec/autograd";
import type { FinalMetrics } from "../experiments/train-once.js";
import type { EpochMetrics, SweepTrial } from "../report/types.js";
import type { Experiment } from "../spec/types.js";

export type RunStatus = "completed" | "diverged" | "failed";

export interface TrainedRun {
  name: string;
  status: "completed" | "diverged";
  message?: string;
  diverged?: { epoch: number; batch: number };
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
}

export interface SweepStageSummary {
  name: string;
  epochs: number;
  ranges: Record<string, unknown>;
  /** Ranked best first; failed and diverged trials last. */
  trials: (SweepTrial & { id: string; index: number; message?: string })[];
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
