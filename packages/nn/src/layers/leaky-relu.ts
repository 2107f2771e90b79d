import { type Tensor, mul, neg, relu, sub } from "@gradspec/autograd";
import type { BuildContext, ForwardContext, Layer, LayerConfig } from "./layer.js";

/** x for x > 0, slope·x otherwise; written as relu(x) − slope·relu(−x). Default slope 0.01. */
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

  static build(config: LayerConfig, ctx: BuildContext): LeakyReLU {
    return new LeakyReLU(ctx.inputDim, config.slope === undefined ? 0.01 : Number(config.slope));
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    return sub(relu(x), mul(relu(neg(x)), this.slope));
  }

  describe(): LayerConfig {
    return { type: this.type, slope: this.slope };
  }
}
