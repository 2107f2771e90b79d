import type { Rng, Tensor } from "@gradspec/autograd";
import { initializer, type InitSpec } from "../init.js";
import type { ForwardContext, Layer, LayerConfig } from "./layer.js";
import { buildLayer } from "./registry.js";

/** Where a network-level tensor name comes from: the layer's position in `layers` and its local name. */
export interface TensorOrigin {
  readonly layer: number;
  readonly local: string;
}

export interface NamedTensor {
  readonly name: string;
  readonly tensor: Tensor;
}

/**
 * Layers applied in order. Parameters get the report's names: each layer's local name followed by
 * the number of the fully connected layer it belongs to (W1, b1, gamma1, beta1, W2, …); a name that
 * would repeat falls back to `<type><position>.<local>`.
 */
export class Sequential {
  readonly params: ReadonlyMap<string, Tensor>;
  readonly decayed: readonly string[];
  readonly buffers: ReadonlyMap<string, Tensor>;
  /** Every parameter's and buffer's layer and local name. */
  readonly origins: ReadonlyMap<string, TensorOrigin>;

  constructor(
    readonly inputDim: number,
    readonly layers: readonly Layer[],
  ) {
    const params = new Map<string, Tensor>();
    const buffers = new Map<string, Tensor>();
    const decayed: string[] = [];
    const origins = new Map<string, TensorOrigin>();
    let ordinal = 0;
    layers.forEach((layer, position) => {
      if (layer.decayed.length > 0 || "W" in layer.params) ordinal++;
      const group = Math.max(ordinal, 1);
      const nameOf = (local: string, taken: Map<string, Tensor>): string => {
        const short = `${local}${group}`;
        return taken.has(short) ? `${layer.type}${position + 1}.${local}` : short;
      };
      for (const [local, tensor] of Object.entries(layer.params)) {
        const name = nameOf(local, params);
        params.set(name, tensor);
        origins.set(name, { layer: position, local });
        if (layer.decayed.includes(local)) decayed.push(name);
      }
      for (const [local, tensor] of Object.entries(layer.buffers)) {
        const name = nameOf(local, buffers);
        buffers.set(name, tensor);
        origins.set(name, { layer: position, local });
      }
    });
    this.origins = origins;
    this.params = params;
    this.decayed = decayed;
    this.buffers = buffers;
  }

  get outputDim(): number {
    return this.layers.length === 0 ? this.inputDim : this.layers[this.layers.length - 1].outputDim;
  }

  forward(x: Tensor, ctx: ForwardContext): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h, ctx);
    return h;
  }

  /** Parameters as a plain record (for `valueAndGrad` and `gradcheck`). */
  paramRecord(): Record<string, Tensor> {
    return Object.fromEntries(this.params);
  }

  describe(): { inputDim: number; layers: LayerConfig[] } {
    return { inputDim: this.inputDim, layers: this.layers.map((l) => l.describe()) };
  }

  /** Builds a network from layer configs through the registry. */
  static fromConfigs(inputDim: number, configs: readonly LayerConfig[], rng: Rng, init: InitSpec = { type: "he" }): Sequential {
    const weightInit = initializer(init);
    const layers: Layer[] = [];
    let dim = inputDim;
    configs.forEach((config, i) => {
      try {
        const layer = buildLayer(config, { inputDim: dim, rng, init: weightInit });
        layers.push(layer);
        dim = layer.outputDim;
      } catch (error) {
        throw new RangeError(`layer ${i + 1} (${config.type}): ${(error as Error).message}`);
      }
    });
    return new Sequential(inputDim, layers);
  }
}

export interface MlpOptions {
  input: number;
  hidden: readonly number[];
  output: number;
  batchNorm?: { enabled: boolean; momentum?: number; eps?: number };
  /** A registered activation layer type. Default relu. */
  activation?: string;
  init?: InitSpec;
}

/** The layer list of the report's k-layer network: [linear → (batchnorm) → activation] × (k−1) → linear. */
export function mlpConfigs(options: MlpOptions): LayerConfig[] {
  const configs: LayerConfig[] = [];
  const bn = options.batchNorm;
  for (const units of options.hidden) {
    configs.push({ type: "linear", units });
    if (bn?.enabled) {
      const bnConfig: { type: string; momentum?: number; eps?: number } = { type: "batchnorm" };
      if (bn.momentum !== undefined) bnConfig.momentum = bn.momentum;
      if (bn.eps !== undefined) bnConfig.eps = bn.eps;
      configs.push(bnConfig);
    }
    configs.push({ type: options.activation ?? "relu" });
  }
  configs.push({ type: "linear", units: options.output });
  return configs;
}

export function buildMlp(options: MlpOptions, rng: Rng): Sequential {
  return Sequential.fromConfigs(options.input, mlpConfigs(options), rng, options.init ?? { type: "he" });
}
