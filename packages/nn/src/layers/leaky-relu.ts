import { type Tensor, mul, neg, relu, sub } from "@gradspec/autograd";
import { Type } from "@sinclair/typebox";
import { declareLayer } from "./declare.js";
import type { BuildContext, ForwardContext, Layer, LayerConfig } from "./layer.js";

/** x for x > 0, slope·x otherwise; written as relu(x) − slope·relu(−x). */
export class LeakyReLU implements Layer {
  readonly type = "leakyRelu";
  readonly params = {};
  readonly decayed = [];
  readonly buffers = {};

  constructor(
    readonly outputDim: number,
    readonly slope: number,
  ) {
    if (!(slope >= 0 && slope < 1)) throw new RangeError(`leakyRelu: slope must be in [0, 1), got ${slope}`);
  }

  static build(options: { slope: number }, ctx: BuildContext): LeakyReLU {
    return new LeakyReLU(ctx.inputDim, options.slope);
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    return sub(relu(x), mul(relu(neg(x)), this.slope));
  }

  describe(): LayerConfig {
    return { type: this.type, slope: this.slope };
  }
}

export const leakyReluLayer = declareLayer({
  type: "leakyRelu",
  description: "max(x, slope·x).",
  options: Type.Object({
    slope: Type.Number({ title: "Slope", description: "Slope for negative inputs.", minimum: 0, exclusiveMaximum: 1, default: 0.01 }),
  }),
  build: LeakyReLU.build,
});
