import { Tensor, mul, sigmoid } from "@gradspec/autograd";
import { registerLayer, type BuildContext, type ForwardContext, type Layer, type LayerConfig } from "@gradspec/nn";

/** Swish: x·sigmoid(β·x), with one trainable β per layer (Ramachandran et al., 2017). */
export class Swish implements Layer {
  readonly type = "swish";
  readonly params: { beta: Tensor };
  readonly decayed = [];
  readonly buffers = {};

  constructor(
    readonly outputDim: number,
    beta: number,
  ) {
    this.params = { beta: Tensor.from([beta]) };
  }

  static build(config: LayerConfig, ctx: BuildContext): Swish {
    const beta = config.beta ?? 1;
    if (typeof beta !== "number" || !Number.isFinite(beta)) throw new RangeError(`beta must be a number, got ${JSON.stringify(beta)}`);
    return new Swish(ctx.inputDim, beta);
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    return mul(x, sigmoid(mul(x, this.params.beta)));
  }

  describe(): LayerConfig {
    return { type: this.type, beta: this.params.beta.data[0] };
  }
}

registerLayer("swish", Swish.build);
