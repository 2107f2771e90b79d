import type { Tensor } from "@gradspec/autograd";
import type { BuildContext, ForwardContext, Layer, LayerConfig } from "./layer.js";

/** A parameter-free elementwise layer: its type name and the op it applies. */
export class Activation implements Layer {
  readonly params = {};
  readonly decayed = [];
  readonly buffers = {};

  constructor(
    readonly type: string,
    readonly outputDim: number,
    private readonly op: (x: Tensor) => Tensor,
  ) {}

  /** A registry factory for the activation `type` computed by `op`. */
  static factory(type: string, op: (x: Tensor) => Tensor): (config: LayerConfig, ctx: BuildContext) => Activation {
    return (_config, ctx) => new Activation(type, ctx.inputDim, op);
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    return this.op(x);
  }

  describe(): LayerConfig {
    return { type: this.type };
  }
}
