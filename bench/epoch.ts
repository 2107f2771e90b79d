/**
 * Seconds per CIFAR-10 epoch through `train`: the training steps (EpochMetrics.seconds, batch fills
 * included) and the per-epoch evaluation (training set + validation set, eval mode) apart.
 */
import { plainBackend, setBackend } from "@gradspec/autograd";
import { train } from "@gradspec/nn";
import type { TrainSplit } from "./data.js";
import { reportNetwork, trainOptions } from "./network.js";
import type { Kernels } from "./step.js";

export interface EpochResult {
  kernels: string;
  split: string;
  trainCount: number;
  validationCount: number;
  steps: number;
  stepSeconds: number;
  evalSeconds: number;
  trainAccuracy: number;
  validationAccuracy: number;
}

export function benchEpoch(split: TrainSplit, kernels: Kernels, tick?: () => void): EpochResult {
  let lastBatchAt = Number.NaN;
  let evalSeconds = Number.NaN;
  let steps = 0;
  setBackend(kernels.backend);
  try {
    const result = train(reportNetwork(7), { train: split.train, validation: split.validation }, trainOptions(7, true), {
      onBatch: ({ batch }) => {
        steps = batch;
        if (tick !== undefined && batch % 50 === 0) tick();
        lastBatchAt = performance.now();
      },
      onEpoch: () => {
        evalSeconds = (performance.now() - lastBatchAt) / 1000;
      },
    });
    const last = result.history[result.history.length - 1];
    return {
      kernels: kernels.name,
      split: split.label,
      trainCount: split.train.count,
      validationCount: split.validation.count,
      steps,
      stepSeconds: last.seconds,
      evalSeconds,
      trainAccuracy: last.train?.accuracy ?? Number.NaN,
      validationAccuracy: last.validation?.accuracy ?? Number.NaN,
    };
  } finally {
    setBackend(plainBackend);
  }
}
