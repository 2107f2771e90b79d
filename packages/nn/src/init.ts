import { Tensor, type Rng } from "@gradspec/autograd";
import { Type, type TProperties } from "@sinclair/typebox";
import type { ComponentConfig, ComponentDeclaration, ComponentOptionSchema, ConfigOf } from "./components/declaration.js";
import { COMPONENT_OPTION } from "./components/declaration.js";
import { ComponentRegistry } from "./components/registry.js";

export type Initializer = (shape: readonly number[], fanIn: number, fanOut: number, rng: Rng) => Tensor;

export const initializers = new ComponentRegistry<Initializer, undefined>("initializer");

/** Declares an initializer (register it with `initializers.register`). */
export function declareInitializer<O extends TProperties, T extends string>(declaration: ComponentDeclaration<O, Initializer, undefined, T>): ComponentDeclaration<O, Initializer, undefined, T> {
  return declaration;
}

export const heInit = initializers.register(declareInitializer({
  type: "he",
  description: "He (Kaiming) normal: N(0, 2/fan_in).",
  options: Type.Object({}),
  build: () => (shape, fanIn, _fanOut, rng) => Tensor.randn(shape, rng, Math.sqrt(2 / fanIn)),
}));
export const xavierInit = initializers.register(declareInitializer({
  type: "xavier",
  description: "Xavier (Glorot) normal: N(0, 2/(fan_in + fan_out)).",
  options: Type.Object({}),
  build: () => (shape, fanIn, fanOut, rng) => Tensor.randn(shape, rng, Math.sqrt(2 / (fanIn + fanOut))),
}));
export const zerosInit = initializers.register(declareInitializer({
  type: "zeros",
  description: "All zeros.",
  options: Type.Object({}),
  build: () => (shape) => Tensor.zeros(shape),
}));
export const normalInit = initializers.register(declareInitializer({
  type: "normal",
  description: "N(0, std²).",
  options: Type.Object({
    std: Type.Number({ title: "Standard deviation", description: "Standard deviation of the normal distribution (the report used 0.001).", exclusiveMinimum: 0 }),
  }),
  build: ({ std }) => (shape, _fanIn, _fanOut, rng) => Tensor.randn(shape, rng, std),
}));

/** How a weight matrix (fanIn × fanOut) is drawn: a built-in initializer's config, typed from its declaration. */
export type InitSpec = ConfigOf<typeof heInit> | ConfigOf<typeof xavierInit> | ConfigOf<typeof zerosInit> | ConfigOf<typeof normalInit>;

/** The drawing function of an initializer config. */
export function initializer(spec: InitSpec | ComponentConfig): Initializer {
  return initializers.build(spec, undefined);
}

/**
 * Parses the forms configs use: a type name ("he"), {type, ...options}, or {name: value} for an
 * initializer with exactly one required option ({normal: 0.001}).
 */
export function parseInit(value: unknown, where = "init"): ComponentConfig {
  const named = typeof value === "string" ? initializers.fromName(value) : undefined;
  if (named !== undefined) return named;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (typeof v["type"] === "string" && initializers.has(v["type"])) return initializers.resolve(v as ComponentConfig);
    const single = initializers.fromSingleOption(v);
    if (single !== undefined) return initializers.resolve(single);
  }
  throw new RangeError(`${where}: expected ${initializers.types().join(", ")} or {normal: std}, got ${JSON.stringify(value)}`);
}

/** The schema of an option whose value is an initializer (e.g. a linear layer's `init`). */
export function initializerOption(description: string): ComponentOptionSchema {
  return Type.Unsafe<unknown>({ [COMPONENT_OPTION]: "initializer", title: "Initialization", description }) as unknown as ComponentOptionSchema;
}
