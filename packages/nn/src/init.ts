import { Tensor, type Rng } from "@gradspec/autograd";

/** How a weight matrix (fanIn × fanOut) is drawn. */
export type InitSpec =
  | { readonly type: "he" }
  | { readonly type: "xavier" }
  | { readonly type: "normal"; readonly std: number }
  | { readonly type: "zeros" };

export type Initializer = (shape: readonly number[], fanIn: number, fanOut: number, rng: Rng) => Tensor;

/** He: N(0, 2/fanIn). Xavier (Glorot normal): N(0, 2/(fanIn + fanOut)). normal: N(0, std²). zeros. */
export function initializer(spec: InitSpec): Initializer {
  switch (spec.type) {
    case "he":
      return (shape, fanIn, _fanOut, rng) => Tensor.randn(shape, rng, Math.sqrt(2 / fanIn));
    case "xavier":
      return (shape, fanIn, fanOut, rng) => Tensor.randn(shape, rng, Math.sqrt(2 / (fanIn + fanOut)));
    case "normal":
      if (!(spec.std >= 0)) throw new RangeError(`init normal: std must be ≥ 0, got ${spec.std}`);
      return (shape, _fanIn, _fanOut, rng) => Tensor.randn(shape, rng, spec.std);
    case "zeros":
      return (shape) => Tensor.zeros(shape);
  }
}

/** Parses the shorthand used in configs: "he", "xavier", "zeros", {normal: std} or the full object. */
export function parseInit(value: unknown, where = "init"): InitSpec {
  if (value === "he" || value === "xavier" || value === "zeros") return { type: value };
  if (typeof value === "object" && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v.normal === "number") return { type: "normal", std: v.normal };
    if (v.type === "normal" && typeof v.std === "number") return { type: "normal", std: v.std };
    if (v.type === "he" || v.type === "xavier" || v.type === "zeros") return { type: v.type };
  }
  throw new RangeError(`${where}: expected he, xavier, zeros or {normal: std}, got ${JSON.stringify(value)}`);
}
