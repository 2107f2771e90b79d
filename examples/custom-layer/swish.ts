import { Tensor, mul, sigmoid } from "@gradspec/autograd";
import { Type, declareLayer, registerLayer, type BuildContext, type ForwardContext, type Layer, type LayerConfig } from "@gradspec/nn";

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

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    return mul(x, sigmoid(mul(x, this.params.beta)));
  }

  describe(): LayerConfig {
    return { type: this.type, beta: this.params.beta.data[0] };
  }
}

export const swishLayer = declareLayer({
  type: "swish",
  description: "x·sigmoid(β·x) with a trainable β.",
  options: Type.Object({
    beta: Type.Number({ title: "Initial β", description: "Starting value of the trainable β.", minimum: -100, maximum: 100, default: 1 }),
  }),
  build: ({ beta }, ctx: BuildContext) => new Swish(ctx.inputDim, beta),
});

registerLayer(swishLayer);
