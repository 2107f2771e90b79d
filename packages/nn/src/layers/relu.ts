import { relu, type Tensor } from "@gradspec/autograd";
import type { BuildContext, ForwardContext, Layer, LayerConfig } from "./layer.js";

export class ReLU implements Layer {
  readonly type = "relu";
  readonly params = {};
  readonly decayed = [];
  readonly buffers = {};

  constructor(readonly outputDim: number) {}

  static build(_config: LayerConfig, ctx: BuildContext): ReLU {
    return new ReLU(ctx.inputDim);
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    return relu(x);
  }

  describe(): LayerConfig {
    return { type: this.type };
  }
}
