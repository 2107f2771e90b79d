/**
 * The shape of a spec as written, after expressions are evaluated and the schema has accepted it
 * (so every number is a number). Mirrors schema/gradspec.schema.json; see types.ts for the resolved form.
 */
import type { CifarBatch, DataLimit, Distribution, EarlyTerminateType, Experiment, KeyPathValues, MomentumVariant, Preprocess, SweepMetric } from "./types.js";

export type InitInput = "he" | "xavier" | "zeros" | { normal: number } | { type: "he" | "xavier" | "zeros" | "normal"; std?: number };

export interface DataInput {
  source: "mnist" | "cifar10" | "synthetic";
  dir?: string;
  format?: "auto" | "bin" | "mat";
  train?: CifarBatch[];
  validation?: number | CifarBatch[];
  test?: CifarBatch[];
  limit?: DataLimit;
  preprocess?: Preprocess;
  augment?: { flip?: boolean; crop?: { padding: number } };
  mnist?: { trainFraction?: number };
  synthetic?: { classes?: number; dim?: number; train?: number; validation?: number; test?: number; spread?: number; seed?: number };
}

export interface LayerInput {
  type: string;
  [option: string]: unknown;
}

export interface ModelInput {
  input?: number;
  hidden?: number[];
  output?: number;
  batchNorm?: boolean | { enabled?: boolean; momentum?: number; eps?: number };
  activation?: string;
  init?: InitInput;
  layers?: LayerInput[];
}

export type ScheduleInput =
  | "constant"
  | { type: "constant" }
  | { type: "exponential"; decay: number }
  | { type: "step"; every: number; factor: number }
  | { type: "cyclic"; min: number; max: number; stepSize: number };

export interface TrainingInput {
  optimizer?: "sgd" | "momentum" | "nesterov" | { momentum?: number; variant?: MomentumVariant };
  learningRate?: number;
  schedule?: ScheduleInput;
  lambda?: number;
  batchSize?: number;
  epochs?: number;
  seed?: number;
  shuffle?: boolean;
  divergence?: { costRatio?: number };
}

export interface GradcheckInput {
  batch?: number;
  lambdas?: number[];
  h?: number;
  eps?: number;
  mode?: "all" | "random";
  directions?: number;
  sample?: number;
  parameters?: string[];
  tolerance?: { max?: number; mean?: number };
}

export interface EarlyTerminateInput {
  type?: EarlyTerminateType | "none";
  minEpochs?: number;
  reductionFactor?: number;
  rungs?: number[];
  minTrials?: number;
}

export interface StageInput {
  name?: string;
  trials?: number;
  epochs?: number;
  refine?: { top?: number; expand?: number };
  parameters?: Record<string, Distribution>;
  earlyTerminate?: EarlyTerminateInput;
}

export interface SweepInput {
  method?: "random" | "grid";
  seed?: number;
  parallel?: number;
  trials?: number;
  metric?: SweepMetric;
  goal?: "maximize" | "minimize";
  parameters: Record<string, Distribution>;
  stages?: StageInput[];
  top?: number;
  final?: { top?: number; set?: KeyPathValues };
  earlyTerminate?: EarlyTerminateInput;
}

export interface SpecInput {
  $schema?: string;
  name?: string;
  description?: string;
  experiment: Experiment;
  data: DataInput;
  model?: ModelInput;
  training?: TrainingInput;
  gradcheck?: GradcheckInput;
  compare?: { variants: { name: string; set: KeyPathValues }[] };
  sweep?: SweepInput;
}
