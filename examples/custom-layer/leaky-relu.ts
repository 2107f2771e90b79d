import { type Tensor, mul, neg, relu, sub } from "@gradspec/autograd";
import { registerLayer, type BuildContext, type ForwardContext, type Layer, type LayerConfig } from "@gradspec/nn";

/** LeakyReLU: x for x > 0, slope·x otherwise — written as relu(x) − slope·relu(−x). */
export class LeakyReLU implements Layer {
  readonly type = "leakyRelu";
  readonly params = {};
  readonly decayed = [];
  readonly buffers = {};

  constructor(
    readonly outputDim: number,
    readonly slope: number,
  ) {}

  static build(config: LayerConfig, ctx: BuildContext): LeakyReLU {
    const slope = config.slope ?? 0.01;
    if (typeof slope !== "number" || !(slope >= 0 && slope < 1)) throw new RangeError(`slope must be in [0, 1), got ${JSON.stringify(slope)}`);
    return new LeakyReLU(ctx.inputDim, slope);
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    return sub(relu(x), mul(relu(neg(x)), this.slope));
  }

  describe(): LayerConfig {
    return { type: this.type, slope: this.slope };
  }
}

registerLayer("leakyRelu", LeakyReLU.build);
