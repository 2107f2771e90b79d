/**
 * A spec after validation with every default filled in: consumers never re-apply defaults.
 * A resolved spec is itself a valid spec (loading `toYaml(spec)` gives the same object back).
 */

import type { adamOptimizer, adamwOptimizer, sgdOptimizer, ConfigOf, InitSpec, ScheduleSpec } from "@gradspec/nn";
import type { GradcheckInput, TrainingInput } from "./input-types.js";

export type Experiment = "train" | "gradcheck" | "compare" | "sweep";
export type CifarBatch = "data_batch_1" | "data_batch_2" | "data_batch_3" | "data_batch_4" | "data_batch_5" | "test_batch";
export type Preprocess = "standardize" | "none";

/** Keep only the first N samples of a split; absent = keep all. */
export interface DataLimit {
  train?: number;
  validation?: number;
  test?: number;
}

/** Random changes to training batches of images; present only when the spec asks for it. */
export interface AugmentSpec {
  flip: boolean;
  crop?: { padding: number };
}

interface DataCommon {
  limit: DataLimit;
  preprocess: Preprocess;
  augment?: AugmentSpec;
}

export interface Cifar10Data extends DataCommon {
  source: "cifar10";
  /** Absent: the runner uses env GRADSPEC_DATA. */
  dir?: string;
  format: "auto" | "bin" | "mat";
  train: CifarBatch[];
  /** A count taken from the end of the training files, or whole batches. */
  validation: number | CifarBatch[];
  test: CifarBatch[];
}

export interface MnistData extends DataCommon {
  source: "mnist";
  mnist: { trainFraction: number };
  /** A count taken from the end of the training part. */
  validation: number;
}

export interface SyntheticData extends DataCommon {
  source: "synthetic";
  synthetic: { classes: number; dim: number; train: number; validation: number; test: number; spread: number; seed: number };
}

export type DataSpec = Cifar10Data | MnistData | SyntheticData;

/** Resolved initializers, schedules and optimizers: {type, ...options}, typed from their declarations in @gradspec/nn. */
export type { InitSpec, ScheduleSpec } from "@gradspec/nn";

export interface BatchNormSpec {
  enabled: boolean;
  /** running = momentum·running + (1−momentum)·batch */
  momentum: number;
  eps: number;
}

export interface LinearLayerSpec {
  type: "linear";
  units: number;
  init: InitSpec;
}
export interface BatchNormLayerSpec {
  type: "batchnorm";
  momentum: number;
  eps: number;
}
export interface LeakyReluLayerSpec {
  type: "leakyRelu";
  slope: number;
}
export interface PlainActivationSpec {
  type: "relu" | "tanh" | "sigmoid";
}
export type KnownLayerSpec = LinearLayerSpec | BatchNormLayerSpec | LeakyReluLayerSpec | PlainActivationSpec;
/** A layer type the schema does not know: checked by the runner against its layer registry. */
export interface CustomLayerSpec {
  type: string;
  [option: string]: unknown;
}
export type LayerSpec = KnownLayerSpec | CustomLayerSpec;

interface ModelCommon {
  /** Always filled: the data's dimension. */
  input: number;
  /** Always filled: the data's number of classes. */
  output: number;
  /** Default for linear layers (and the output layer). */
  init: InitSpec;
}

/** Each hidden size becomes linear → [batchnorm] → activation; then linear to `output`. */
export interface HiddenModelSpec extends ModelCommon {
  hidden: number[];
  batchNorm: BatchNormSpec;
  activation: string;
  layers?: undefined;
}

/** An explicit hidden stack; the final linear layer to `output` is appended by the model builder. */
export interface LayersModelSpec extends ModelCommon {
  layers: LayerSpec[];
  hidden?: undefined;
  batchNorm?: undefined;
  activation?: undefined;
}

export type ModelSpec = HiddenModelSpec | LayersModelSpec;

export type SgdSpec = ConfigOf<typeof sgdOptimizer>;
export type OptimizerSpec = SgdSpec | ConfigOf<typeof adamOptimizer> | ConfigOf<typeof adamwOptimizer>;
export type MomentumVariant = SgdSpec["variant"];


/** A section as written with every key that has a default present (what resolve.ts fills in). */
type Filled<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

/**
 * Training with every default filled: the declared shape (sections.ts), with the optimizer and the
 * schedule in their resolved {type, ...options} form; earlyStopping stays absent unless given.
 */
export type TrainingSpec = Omit<Filled<TrainingInput>, "optimizer" | "schedule" | "divergence" | "earlyStopping"> & {
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec;
  divergence: Filled<NonNullable<TrainingInput["divergence"]>>;
  earlyStopping?: Filled<NonNullable<TrainingInput["earlyStopping"]>>;
};

export type EarlyStoppingMetric = Filled<NonNullable<TrainingInput["earlyStopping"]>>["metric"];

/** The gradcheck section with its defaults; sample, parameters and tolerance stay absent unless given (every element, every parameter, report only). */
export type GradcheckSection = Omit<Filled<GradcheckInput>, "sample" | "parameters" | "tolerance"> & Pick<GradcheckInput, "sample" | "parameters" | "tolerance">;

/** Key path → value (e.g. {"model.batchNorm": false}); apply with applyOverrides/deriveTrainSpec. */
export type KeyPathValues = Record<string, unknown>;

export interface CompareVariant {
  name: string;
  set: KeyPathValues;
}

export type Distribution =
  | { logUniform: [number, number] }
  | { uniform: [number, number] }
  | { intUniform: [number, number] }
  | { values: unknown[] };

/**
 * Early termination of a stage's trials, compared on the sweep's metric at given epochs (rungs):
 * - successiveHalving: at each rung, once every trial has reached it (a barrier), the best
 *   ⌊n/reductionFactor⌋ of the n trials there go on; the others are pruned. Order-independent.
 * - asha: asynchronous successive halving (Ray Tune's ASHA): a trial reaching a rung goes on only if
 *   it is in the best 1/reductionFactor of the trials that reached that rung before it.
 * - median: from epoch minEpochs on, a trial whose best value so far is worse than the median of the
 *   other trials' values at the same epoch is pruned, once at least minTrials others have one.
 */
export type EarlyTerminate =
  | { type: "successiveHalving" | "asha"; reductionFactor: number; rungs: number[] }
  | { type: "median"; minEpochs: number; minTrials: number };

export type EarlyTerminateType = EarlyTerminate["type"];

export interface SweepStage {
  name: string;
  /** Absent only for grid sweeps: the full grid. */
  trials?: number;
  epochs: number;
  refine?: { top: number; expand: number };
  /**
   * The ranges of this stage. Without refine: every swept parameter (sweep.parameters overlaid with
   * the stage's own). With refine: only the stage's explicit ones; the rest are refined at run time.
   */
  parameters: Record<string, Distribution>;
  /** Absent: every trial runs to `epochs`. Rungs are below `epochs`. */
  earlyTerminate?: EarlyTerminate;
}

export type SweepMetric = "validation.accuracy" | "validation.loss" | "validation.cost" | "train.accuracy" | "train.loss" | "test.accuracy";

export interface SweepSection {
  method: "random" | "grid";
  seed: number;
  /** Absent: the number of cores, decided at run time. */
  parallel?: number;
  metric: SweepMetric;
  goal: "maximize" | "minimize";
  parameters: Record<string, Distribution>;
  stages: SweepStage[];
  top: number;
  final?: { top: number; set: KeyPathValues };
}

interface SpecCommon {
  name: string;
  description?: string;
  data: DataSpec;
  model: ModelSpec;
  training: TrainingSpec;
}

export interface TrainSpec extends SpecCommon {
  experiment: "train";
}
export interface GradcheckSpec extends SpecCommon {
  experiment: "gradcheck";
  gradcheck: GradcheckSection;
}
export interface CompareSpec extends SpecCommon {
  experiment: "compare";
  compare: { variants: CompareVariant[] };
}
export interface SweepSpec extends SpecCommon {
  experiment: "sweep";
  sweep: SweepSection;
}

export type ResolvedSpec = TrainSpec | GradcheckSpec | CompareSpec | SweepSpec;
