import { relu, sigmoid, tanh, type Tensor } from "@gradspec/autograd";
import { Type } from "@sinclair/typebox";
import { declareLayer } from "./declare.js";
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

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    return this.op(x);
  }

  describe(): LayerConfig {
    return { type: this.type };
  }
}

/** A declaration of the parameter-free activation `type` computing `op`. */
export function declareActivation(type: string, description: string, op: (x: Tensor) => Tensor) {
  return declareLayer({ type, description, options: Type.Object({}), build: (_options, ctx: BuildContext) => new Activation(type, ctx.inputDim, op) });
}

export const activationLayers = [
  declareActivation("relu", "max(x, 0).", relu),
  declareActivation("tanh", "tanh(x).", tanh),
  declareActivation("sigmoid", "1 / (1 + e^−x).", sigmoid),
];
