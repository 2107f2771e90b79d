/** The report's network and training settings that every implementation in the benchmark runs. */
import { Rng } from "@gradspec/autograd";
import { buildMlp, type Sequential, type TrainOptions } from "@gradspec/nn";

export const STEP = {
  input: 3072,
  hidden: [50, 30] as const,
  classes: 10,
  batch: 100,
  learningRate: 0.03,
  momentum: 0.8,
  lambda: 0,
} as const;

export const STEP_LABEL = "3072 → 50 → 30 → 10, batch norm, batch 100, SGD momentum 0.8";

/** He-initialized 3072 → 50 → 30 → 10 with batch norm and ReLU. */
export function reportNetwork(seed: number): Sequential {
  return buildMlp({ input: STEP.input, hidden: STEP.hidden, output: STEP.classes, batchNorm: { enabled: true } }, new Rng(seed));
}

/** One epoch of the report's training settings; evaluation off unless asked. */
export function trainOptions(seed: number, evaluate: boolean): TrainOptions {
  return {
    epochs: 1,
    batchSize: STEP.batch,
    learningRate: STEP.learningRate,
    momentum: STEP.momentum,
    lambda: STEP.lambda,
    variant: "report",
    seed,
    evaluateInitial: false,
    evaluateTrain: evaluate,
  };
}
