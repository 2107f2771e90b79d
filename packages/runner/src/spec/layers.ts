import type { LayerSpec, ModelSpec } from "./types.js";

/**
 * The whole stack as explicit layers, the output linear layer included (softmax cross-entropy
 * follows it): hidden form → [linear, (batchnorm), activation]* + linear.
 */
export function modelLayers(model: ModelSpec): LayerSpec[] {
  const output: LayerSpec = { type: "linear", units: model.output, init: { ...model.init } };
  if (model.layers !== undefined) return [...model.layers, output];
  const stack: LayerSpec[] = [];
  for (const units of model.hidden) {
    stack.push({ type: "linear", units, init: { ...model.init } });
    if (model.batchNorm.enabled) stack.push({ type: "batchnorm", momentum: model.batchNorm.momentum, eps: model.batchNorm.eps });
    stack.push({ type: model.activation });
  }
  return [...stack, output];
}
