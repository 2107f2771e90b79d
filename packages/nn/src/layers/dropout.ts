import { Rng, Tensor, mul } from "@gradspec/autograd";
import { Type } from "@sinclair/typebox";
import { declareLayer } from "./declare.js";
import type { BuildContext, ForwardContext, Layer, LayerConfig } from "./layer.js";

/**
 * Inverted dropout: in training mode each element is kept with probability 1 − rate and scaled by
 * 1/(1 − rate), so eval mode is the identity. The mask of a training step is drawn from the layer's
 * seed and its step count (both buffers, so checkpoints and resumed runs continue the same masks);
 * `holdRandomness` in the context reuses the current step's mask (gradient checks).
 */
export class Dropout implements Layer {
  readonly type = "dropout";
  readonly params = {};
  readonly decayed = [];
  readonly buffers: { seed: Tensor; step: Tensor };

  constructor(
    readonly outputDim: number,
    readonly rate: number,
    seed: number,
  ) {
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout: rate must be in [0, 1), got ${rate}`);
    this.buffers = { seed: Tensor.from([seed]), step: Tensor.from([0]) };
  }

  static build(options: { rate: number }, ctx: BuildContext): Dropout {
    return new Dropout(ctx.inputDim, options.rate, ctx.rng.nextUint32());
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    const step = this.buffers.step.data;
    const rng = Rng.derive(this.buffers.seed.data[0], step[0] % 2 ** 32, Math.floor(step[0] / 2 ** 32));
    if (ctx.holdRandomness !== true) step[0] += 1;
    const mask = Tensor.empty(x.shape);
    const keep = 1 - this.rate;
    const scale = 1 / keep;
    const m = mask.data;
    for (let i = 0; i < m.length; i++) m[i] = rng.uniform() < keep ? scale : 0;
    return mul(x, mask);
  }

  describe(): LayerConfig {
    return { type: this.type, rate: this.rate };
  }
}

export const dropoutLayer = declareLayer({
  type: "dropout",
  description: "Inverted dropout: zeroes each feature with probability rate in training (scaling the rest by 1/(1 − rate)); the identity in eval mode.",
  options: Type.Object({
    rate: Type.Number({ title: "Rate", description: "Probability of zeroing a feature.", minimum: 0, exclusiveMaximum: 1, default: 0.5 }),
  }),
  build: Dropout.build,
});
