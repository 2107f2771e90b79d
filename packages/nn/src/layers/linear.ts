import { Tensor, add, matmul } from "@gradspec/autograd";
import { initializer, parseInit } from "../init.js";
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

  static build(config: LayerConfig, ctx: BuildContext): Linear {
    const units = config.units;
    if (typeof units !== "number" || !Number.isInteger(units) || units < 1) {
      throw new RangeError(`linear: units must be a positive integer, got ${JSON.stringify(units)}`);
    }
    const init = config.init === undefined ? ctx.init : initializer(parseInit(config.init, "linear.init"));
    const W = init([ctx.inputDim, units], ctx.inputDim, units, ctx.rng);
    return new Linear(ctx.inputDim, units, { W, b: Tensor.zeros([units]) }, config.init);
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
