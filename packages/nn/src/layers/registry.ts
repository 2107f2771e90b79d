import type { TProperties } from "@sinclair/typebox";
import { Type } from "@sinclair/typebox";
import type { LayerDeclaration } from "./declare.js";
import { ComponentRegistry } from "../components/registry.js";
import type { BuildContext, Layer, LayerConfig } from "./layer.js";
import { linearLayer } from "./linear.js";
import { batchNormLayer } from "./batchnorm.js";
import { activationLayers } from "./activation.js";
import { leakyReluLayer } from "./leaky-relu.js";
import { dropoutLayer } from "./dropout.js";

export type LayerFactory = (config: LayerConfig, ctx: BuildContext) => Layer;

/** Every layer type usable by name: from code, from YAML specs and from checkpoints. */
export const layers = new ComponentRegistry<Layer, BuildContext>("layer");

/**
 * Makes a layer type usable by name. Pass its declaration; `registerLayer(type, factory)` registers a
 * layer without declared options, which then accepts any options and passes them on unchecked.
 */
export function registerLayer<O extends TProperties>(declaration: LayerDeclaration<O>): void;
export function registerLayer(type: string, factory: LayerFactory): void;
export function registerLayer<O extends TProperties>(declarationOrType: LayerDeclaration<O> | string, factory?: LayerFactory): void {
  if (typeof declarationOrType !== "string") {
    layers.register(declarationOrType);
    return;
  }
  const build = factory!;
  layers.register({
    type: declarationOrType,
    description: "A layer registered without declared options.",
    options: Type.Object({}),
    openOptions: true,
    build: (options, ctx) => build(options as LayerConfig, ctx),
  });
}

export function registeredLayerTypes(): string[] {
  return layers.types();
}

export function isRegisteredLayer(type: string): boolean {
  return layers.has(type);
}

export function buildLayer(config: LayerConfig, ctx: BuildContext): Layer {
  return layers.build(config, ctx);
}

registerLayer(linearLayer);
registerLayer(batchNormLayer);
for (const activation of activationLayers) registerLayer(activation);
registerLayer(leakyReluLayer);
registerLayer(dropoutLayer);
