import fc from "fast-check";
import { Tensor } from "@gradspec/autograd";

export interface ShapeOptions {
  minRank?: number;
  maxRank?: number;
  minDim?: number;
  maxDim?: number;
}

/** Shapes with rank in [minRank, maxRank] (default 1–3) and dimensions in [minDim, maxDim] (default 1–6). */
export function shapeArb(options: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const { minRank = 1, maxRank = 3, minDim = 1, maxDim = 6 } = options;
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

export interface ValueOptions {
  min?: number;
  max?: number;
  /**
   * Keep values at least this far from zero, by pushing values inside (−gap, gap) out to ±gap: for
   * ReLU kinks, log and sqrt, and because a gradient that vanishes with its input (x², a·b) would be
   * compared against the centered difference's rounding noise (~1e-11) alone. Default 0.05.
   */
  awayFromZero?: number;
  /** Only positive values (log, sqrt, division): samples |v| + awayFromZero. */
  positive?: boolean;
}

/** Float64 values in [min, max] (default [−2, 2]), finite, optionally kept away from 0 or positive. */
export function valueArb(options: ValueOptions = {}): fc.Arbitrary<number> {
  const { min = -2, max = 2, awayFromZero = 0.05, positive = false } = options;
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((v) => {
    let x = positive ? Math.abs(v) : v;
    if (Math.abs(x) < awayFromZero) x = x < 0 ? -awayFromZero : awayFromZero;
    return x === 0 && positive ? awayFromZero || Number.MIN_VALUE : x;
  });
}

/** A tensor of the given shape with values from `valueArb(options)`. */
export function tensorArb(shape: readonly number[], options: ValueOptions = {}): fc.Arbitrary<Tensor> {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc
    .array(valueArb(options), { minLength: size, maxLength: size })
    .map((values) => new Tensor(Float64Array.from(values), shape));
}

/** A random shape and a tensor of that shape. */
export function anyTensorArb(shapeOptions: ShapeOptions = {}, valueOptions: ValueOptions = {}): fc.Arbitrary<Tensor> {
  return shapeArb(shapeOptions).chain((shape) => tensorArb(shape, valueOptions));
}

/** An n×d batch with n in [minRows, maxRows] and d in [minCols, maxCols]. */
export function matrixArb(
  rows: { min: number; max: number },
  cols: { min: number; max: number },
  valueOptions: ValueOptions = {},
): fc.Arbitrary<Tensor> {
  return fc
    .tuple(fc.integer(rows), fc.integer(cols))
    .chain(([n, d]) => tensorArb([n, d], valueOptions));
}
