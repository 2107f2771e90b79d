import type { BuildContext, Layer, LayerConfig } from "./layer.js";
import { Linear } from "./linear.js";
import { BatchNorm } from "./batchnorm.js";
import { relu, sigmoid, tanh } from "@gradspec/autograd";
import { Activation } from "./activation.js";
import { LeakyReLU } from "./leaky-relu.js";

export type LayerFactory = (config: LayerConfig, ctx: BuildContext) => Layer;

const factories = new Map<string, LayerFactory>();

/** Makes a layer type usable by name (from code, from YAML specs and from checkpoints). */
export function registerLayer(type: string, factory: LayerFactory): void {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(type)) throw new RangeError(`registerLayer: invalid type name ${JSON.stringify(type)}`);
  factories.set(type, factory);
}

export function registeredLayerTypes(): string[] {
  return [...factories.keys()].sort();
}

export function isRegisteredLayer(type: string): boolean {
  return factories.has(type);
}

export function buildLayer(config: LayerConfig, ctx: BuildContext): Layer {
  const factory = factories.get(config.type);
  if (factory === undefined) {
    throw new RangeError(`unknown layer type ${JSON.stringify(config.type)}; registered: ${registeredLayerTypes().join(", ")}`);
  }
  return factory(config, ctx);
}

registerLayer("linear", Linear.build);
registerLayer("batchnorm", BatchNorm.build);
registerLayer("relu", Activation.factory("relu", relu));
registerLayer("tanh", Activation.factory("tanh", tanh));
registerLayer("sigmoid", Activation.factory("sigmoid", sigmoid));
registerLayer("leakyRelu", LeakyReLU.build);
