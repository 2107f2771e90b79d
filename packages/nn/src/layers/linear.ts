import { Tensor, add, matmul } from "@gradspec/autograd";
import { Type } from "@sinclair/typebox";
import { initializer, initializerOption, parseInit } from "../init.js";
import { declareLayer } from "./declare.js";
import type { BuildContext, ForwardContext, Layer, LayerConfig } from "./layer.js";

/** Fully connected: y = x·W + b, with W of shape [in, out] (rows are samples) and b of shape [out]. */
export class Linear implements Layer {
  readonly type = "linear";
  readonly params: { W: Tensor; b: Tensor };
  readonly decayed = ["W"] as const;
  readonly buffers = {};
  readonly outputDim: number;

  constructor(
    readonly inputDim: number,
    readonly units: number,
    params: { W: Tensor; b: Tensor },
    private readonly initConfig?: unknown,
  ) {
    this.params = params;
    this.outputDim = units;
  }

  static build(options: { units: number; init?: unknown }, ctx: BuildContext): Linear {
    const init = options.init === undefined ? ctx.init : initializer(parseInit(options.init, "linear.init"));
    const W = init([ctx.inputDim, options.units], ctx.inputDim, options.units, ctx.rng);
    return new Linear(ctx.inputDim, options.units, { W, b: Tensor.zeros([options.units]) }, options.init);
  }

  forward(x: Tensor, _ctx: ForwardContext): Tensor {
    return add(matmul(x, this.params.W), this.params.b);
  }

  layouts(): Record<string, string> {
    return { W: `[in, out] = [${this.inputDim}, ${this.units}], row-major: y = x·W + b (PyTorch's Linear.weight is W transposed)`, b: `[out] = [${this.units}]` };
  }

  describe(): LayerConfig {
    return this.initConfig === undefined ? { type: this.type, units: this.units } : { type: this.type, units: this.units, init: this.initConfig };
  }
}

export const linearLayer = declareLayer({
  type: "linear",
  description: "Fully connected: y = x·W + b, with W stored in×out.",
  options: Type.Object({
    units: Type.Integer({ title: "Units", description: "Output units of this linear layer.", minimum: 1, maximum: 1_000_000 }),
    init: Type.Optional(initializerOption("Weight initialization of this layer. Default: the model's init.")),
  }),
  build: Linear.build,
});
