import { Tensor, add, div, moments, mul, sqrt, sub } from "@gradspec/autograd";
import { Type } from "@sinclair/typebox";
import { declareLayer } from "./declare.js";
import type { BuildContext, ForwardContext, Layer, LayerConfig } from "./layer.js";

export interface BatchNormOptions {
  /**
   * Weight of the old running statistic in the exponential moving average:
   * running = momentum·running + (1 − momentum)·batch. Default 0.9. (PyTorch's `momentum` is the
   * weight of the new value instead: its 0.1 is our 0.9. Keras' 0.99 means the same as ours.)
   */
  momentum?: number;
  /** Added to the variance inside the square root. Default 1e-5. */
  eps?: number;
}

/**
 * Batch normalization over the rows of an n×d batch. Training mode normalizes with the batch mean
 * and the biased batch variance (1/n), then scales by γ (init 1) and shifts by β (init 0), and
 * updates running mean and biased variance; eval mode normalizes with the running statistics.
 * Running statistics start at mean 0, variance 1.
 */
export class BatchNorm implements Layer {
  readonly type = "batchnorm";
  readonly params: { gamma: Tensor; beta: Tensor };
  readonly decayed = [];
  readonly buffers: { runningMean: Tensor; runningVar: Tensor };
  readonly momentum: number;
  readonly eps: number;

  constructor(readonly outputDim: number, options: BatchNormOptions = {}) {
    this.momentum = options.momentum ?? 0.9;
    this.eps = options.eps ?? 1e-5;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new RangeError(`batchnorm: momentum must be in [0, 1), got ${this.momentum}`);
    if (!(this.eps > 0)) throw new RangeError(`batchnorm: eps must be > 0, got ${this.eps}`);
    this.params = { gamma: Tensor.ones([outputDim]), beta: Tensor.zeros([outputDim]) };
    this.buffers = { runningMean: Tensor.zeros([outputDim]), runningVar: Tensor.ones([outputDim]) };
  }

  static build(options: BatchNormOptions, ctx: BuildContext): BatchNorm {
    return new BatchNorm(ctx.inputDim, options);
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.outputDim) {
      throw new RangeError(`batchnorm: expected a batch of shape [n, ${this.outputDim}], got [${x.shape.join(", ")}]`);
    }
    if (!ctx.training) return this.normalize(x, this.buffers.runningMean, this.buffers.runningVar);
    if (x.shape[0] < 2) {
      throw new RangeError(
        `batchnorm: a training batch of ${x.shape[0]} sample has no batch variance; use a batch of at least 2, or eval mode`,
      );
    }
    const { mean, variance } = moments(x);
    this.updateRunning(mean, variance);
    return this.normalize(x, mean, variance);
  }

  private normalize(x: Tensor, mean: Tensor, variance: Tensor): Tensor {
    const xHat = div(sub(x, mean), sqrt(add(variance, this.eps)));
    return add(mul(xHat, this.params.gamma), this.params.beta);
  }

  private updateRunning(mean: Tensor, variance: Tensor): void {
    const a = this.momentum;
    const rm = this.buffers.runningMean.data;
    const rv = this.buffers.runningVar.data;
    for (let j = 0; j < rm.length; j++) {
      rm[j] = a * rm[j] + (1 - a) * mean.data[j];
      rv[j] = a * rv[j] + (1 - a) * variance.data[j];
    }
  }

  layouts(): Record<string, string> {
    const inEval = `eval mode: y = (x − runningMean) / sqrt(runningVar + eps) · gamma + beta, eps = ${this.eps}`;
    return {
      gamma: `[features] scale; ${inEval}`,
      beta: `[features] shift; ${inEval}`,
      runningMean: `[features] running mean of the batches; ${inEval}`,
      runningVar: `[features] running biased (1/n) variance of the batches; ${inEval}`,
    };
  }

  describe(): LayerConfig {
    return { type: this.type, momentum: this.momentum, eps: this.eps };
  }
}

export const batchNormLayer = declareLayer({
  type: "batchnorm",
  description: "Per-feature batch normalization with learned scale γ and shift β; eval mode uses running statistics.",
  options: Type.Object({
    momentum: Type.Number({
      title: "Running-statistics momentum",
      description: "running = momentum·running + (1 − momentum)·batch (PyTorch's momentum 0.1 is our 0.9).",
      minimum: 0,
      exclusiveMaximum: 1,
      default: 0.9,
    }),
    eps: Type.Number({ title: "Epsilon", description: "Added to the variance inside the square root.", exclusiveMinimum: 0, default: 1e-5 }),
  }),
  build: BatchNorm.build,
});
