import { Rng } from "@gradspec/autograd";
import { Sequential, mlpConfigs, type LayerConfig } from "@gradspec/nn";
import type { ModelSpec } from "./spec/types.js";

/** The layer list a model section describes, ending with the output layer. */
export function modelLayerConfigs(model: ModelSpec): LayerConfig[] {
  if (model.layers !== undefined) {
    return [...(model.layers as LayerConfig[]), { type: "linear", units: model.output }];
  }
  return mlpConfigs({
    input: model.input,
    hidden: model.hidden,
    output: model.output,
    batchNorm: model.batchNorm,
    activation: model.activation,
  });
}

/** Builds the network with weights drawn from a generator seeded by `seed`. */
export function buildModel(model: ModelSpec, seed: number): Sequential {
  return Sequential.fromConfigs(model.input, modelLayerConfigs(model), new Rng(seed), model.init);
}
