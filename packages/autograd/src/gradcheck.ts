import { Tensor, formatShape } from "./tensor.js";
import { valueAndGrad } from "./tape.js";
import { Rng } from "./random.js";
import { Reuse, withReuse } from "./gradcheck/reuse.js";
import { BufferPool, withAllocator } from "./memory.js";

export interface GradcheckOptions {
  /** Step of the centered difference. Default 1e-5 (the report's h). */
  h?: number;
  /** Floor of the relative error's denominator. Default 1e-5 (the report's ε). */
  eps?: number;
  /**
   * "all" perturbs every element (exact, one pair of evaluations per element); "random" compares
   * directional derivatives along `directions` random unit directions per parameter (fast).
   */
  mode?: "all" | "random";
  directions?: number;
  /**
   * mode "all" only: check at most this many elements of each parameter, drawn without replacement
   * with `seed` (for parameters too large to check whole in reasonable time). Default: every element.
   */
  sample?: number;
  seed?: number;
  /**
   * Points of the centered difference: 2 (the report's (f(x+h) − f(x−h))/2h, error ∝ h²) or 4
   * ((−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h))/12h, error ∝ h⁴), which lets a larger h keep rounding
   * noise down without truncation error. Default 2.
   */
  stencil?: 2 | 4;
  /** Restrict the check to these parameter names. */
  only?: readonly string[];
  /**
   * mode "all" only: re-evaluate f from what one element's move changes (products and sums of
   * squares taken from a recorded evaluation; see `Reuse`) instead of from scratch. Default true;
   * false is the plain method, every evaluation in full.
   */
  reuse?: boolean;
  /** Keep every comparison's relative error in the report (`ParameterCheck.errors`), e.g. to draw where they lie. */
  errors?: boolean;
}

/** Every relative error of a check: element offsets (row-major) in mode "all", direction numbers in "random". */
export interface ComparisonErrors {
  at: Int32Array;
  values: Float64Array;
}

export interface ParameterCheck {
  name: string;
  shape: readonly number[];
  /** Number of elements (or directions) compared. */
  count: number;
  max: number;
  mean: number;
  /** Sample variance (n − 1 denominator, as MATLAB's `var`) of the relative errors. */
  variance: number;
  /** Index of the worst element (or [direction] in random mode). */
  worstIndex: number[];
  worstAnalytic: number;
  worstNumeric: number;
  /** With the `errors` option: each comparison's relative error, in the order compared. */
  errors?: ComparisonErrors;
}

export interface GradcheckReport {
  mode: "all" | "random";
  h: number;
  eps: number;
  parameters: ParameterCheck[];
  /** The parameter with the largest max relative error. */
  worst: ParameterCheck;
}

/** |a − n| / max(ε, |a| + |n|) */
export function relativeError(analytic: number, numeric: number, eps: number): number {
  return Math.abs(analytic - numeric) / Math.max(eps, Math.abs(analytic) + Math.abs(numeric));
}

/**
 * Compares the tape's gradient of a scalar function of named parameters with centered differences.
 * Parameters are perturbed in place and restored exactly. NaN anywhere is an error naming where.
 */
export function gradcheck<P extends Record<string, Tensor>>(
  f: (params: P) => Tensor,
  params: P,
  options: GradcheckOptions = {},
): GradcheckReport {
  const h = options.h ?? 1e-5;
  const eps = options.eps ?? 1e-5;
  const mode = options.mode ?? "all";
  const { grads } = valueAndGrad(f)(params);
  const names = Object.keys(params).filter((n) => options.only === undefined || options.only.includes(n));
  if (names.length === 0) throw new RangeError("gradcheck: no parameters to check");
  const evaluate = scalarOf(f, params);
  const rng = new Rng(options.seed ?? 0);
  const parameters = names.map((name) => {
    const param = params[name];
    const analytic = grads[name as keyof P];
    checkAnalytic(name, param, analytic);
    const comparison =
      mode === "all"
        ? compareElements(param, analytic, elementsToCheck(param.size, options.sample, rng), (offsets) => numericElements(name, param, evaluate, offsets, elementOptions(options)))
        : compareDirections(name, param, analytic, evaluate, derivativeFor(options.stencil), h, options.directions ?? 20, rng);
    return toParameterCheck(name, param, comparison, eps, options.errors ?? false);
  });
  return reportOf(mode, h, eps, parameters);
}

/** The options `numericElements` needs, with their defaults. */
export interface ElementOptions {
  h: number;
  stencil: 2 | 4;
  reuse: boolean;
}

export function elementOptions(options: GradcheckOptions): ElementOptions {
  return { h: options.h ?? 1e-5, stencil: options.stencil ?? 2, reuse: options.reuse ?? true };
}

/** f at the current parameters as a number; a non-scalar result is an error. */
export function scalarOf<P extends Record<string, Tensor>>(f: (params: P) => Tensor, params: P): () => number {
  return () => {
    const v = f(params);
    if (v.size !== 1) throw new RangeError(`gradcheck: function returned shape ${formatShape(v.shape)}, not a scalar`);
    return v.data[0];
  };
}

export function checkAnalytic(name: string, param: Tensor, analytic: Tensor): void {
  const nanAt = analytic.data.findIndex((v) => Number.isNaN(v));
  if (nanAt >= 0) throw new RangeError(`gradcheck: analytic gradient of ${name} is NaN at index [${unravel(nanAt, param.shape).join(", ")}]`);
}

export function reportOf(mode: "all" | "random", h: number, eps: number, parameters: ParameterCheck[]): GradcheckReport {
  const worst = parameters.reduce((a, b) => (b.max > a.max ? b : a));
  return { mode, h, eps, parameters, worst };
}

/**
 * The centered-difference derivative of `evaluate` with respect to each listed element of `param`,
 * which is moved in place and restored exactly.
 */
export function numericElements(name: string, param: Tensor, evaluate: () => number, offsets: Int32Array, options: ElementOptions): Float64Array {
  const derivative = derivativeFor(options.stencil);
  const reuse = options.reuse ? new Reuse() : null;
  // Each evaluation's temporaries are dead once it returns its number: reusing their buffers saves
  // the zero-filling and collecting of fresh ones, a fifth of an evaluation after the reuse of products.
  const pool = new BufferPool();
  const fresh = (): number => {
    pool.reset();
    return evaluate();
  };
  const run = (): Float64Array => {
    if (reuse !== null) {
      fresh();
      reuse.finishRecording();
    }
    const numeric = new Float64Array(offsets.length);
    for (let k = 0; k < offsets.length; k++) {
      const i = offsets[k];
      const original = param.data[i];
      const n = derivative((t) => {
        param.data[i] = original + t;
        reuse?.beginEvaluation(param, i, original);
        return fresh();
      }, options.h);
      param.data[i] = original;
      if (Number.isNaN(n)) throw new RangeError(`gradcheck: numerical gradient of ${name} is NaN at index [${unravel(i, param.shape).join(", ")}]`);
      numeric[k] = n;
    }
    return numeric;
  };
  return reuse === null ? run() : withAllocator(pool, () => withReuse(reuse, run));
}

function derivativeFor(stencil: 2 | 4 | undefined): Derivative {
  return stencil === 4 ? fourPoint : twoPoint;
}

/** The derivative at t = 0 of g(t) = f(θ + t·direction), where `at(t)` sets θ and evaluates f. */
type Derivative = (at: (t: number) => number, h: number) => number;

const twoPoint: Derivative = (at, h) => (at(h) - at(-h)) / (2 * h);
const fourPoint: Derivative = (at, h) => (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);

export interface Comparison {
  /** Analytic and numerical values compared: per element, or per random direction. */
  analytic: Float64Array;
  numeric: Float64Array;
  /** The index reported for comparison i. */
  indexOf: (i: number) => number[];
  /** Where comparison i is: its element's offset, or its direction's number. */
  at: Int32Array;
}

export function toParameterCheck(name: string, param: Tensor, { analytic, numeric, indexOf, at }: Comparison, eps: number, keepErrors = false): ParameterCheck {
  const errors = new Float64Array(analytic.length);
  for (let i = 0; i < errors.length; i++) errors[i] = relativeError(analytic[i], numeric[i], eps);
  const stats = summarize(errors);
  return {
    name,
    shape: param.shape,
    count: errors.length,
    max: stats.max,
    mean: stats.mean,
    variance: stats.variance,
    worstIndex: indexOf(stats.worst),
    worstAnalytic: analytic[stats.worst],
    worstNumeric: numeric[stats.worst],
    ...(keepErrors ? { errors: { at, values: errors } } : {}),
  };
}

/** Every offset, or `sample` distinct offsets in increasing order when the tensor is larger. */
export function elementsToCheck(size: number, sample: number | undefined, rng: Rng): Int32Array {
  if (sample === undefined || sample >= size) return Int32Array.from({ length: size }, (_, i) => i);
  return rng.permutation(size).subarray(0, sample).sort();
}

/** The analytic gradient at `offsets` beside the numerical values `numeric(offsets)` gives. */
export function compareElements(param: Tensor, analytic: Tensor, offsets: Int32Array, numeric: (offsets: Int32Array) => Float64Array): Comparison {
  const analyticValues = new Float64Array(offsets.length);
  for (let k = 0; k < offsets.length; k++) analyticValues[k] = analytic.data[offsets[k]];
  return { analytic: analyticValues, numeric: numeric(offsets), indexOf: (k) => unravel(offsets[k], param.shape), at: offsets };
}

function compareDirections(
  name: string,
  param: Tensor,
  analytic: Tensor,
  evaluate: () => number,
  derivative: Derivative,
  h: number,
  directions: number,
  rng: Rng,
): Comparison {
  const analyticValues = new Float64Array(directions);
  const numericValues = new Float64Array(directions);
  const original = Float64Array.from(param.data);
  const direction = new Float64Array(param.size);
  for (let d = 0; d < directions; d++) {
    let norm = 0;
    for (let i = 0; i < direction.length; i++) {
      direction[i] = rng.normal();
      norm += direction[i] * direction[i];
    }
    norm = Math.sqrt(norm);
    let a = 0;
    for (let i = 0; i < direction.length; i++) {
      direction[i] /= norm;
      a += analytic.data[i] * direction[i];
    }
    const n = derivative((t) => {
      for (let i = 0; i < direction.length; i++) param.data[i] = original[i] + t * direction[i];
      return evaluate();
    }, h);
    param.data.set(original);
    if (Number.isNaN(n)) throw new RangeError(`gradcheck: numerical directional derivative of ${name} is NaN (direction ${d})`);
    analyticValues[d] = a;
    numericValues[d] = n;
  }
  return { analytic: analyticValues, numeric: numericValues, indexOf: (d) => [d], at: Int32Array.from({ length: directions }, (_, d) => d) };
}

function summarize(errors: Float64Array): { max: number; mean: number; variance: number; worst: number } {
  let max = -Infinity;
  let worst = 0;
  let total = 0;
  for (let i = 0; i < errors.length; i++) {
    total += errors[i];
    if (errors[i] > max) {
      max = errors[i];
      worst = i;
    }
  }
  const mean = total / errors.length;
  let squares = 0;
  for (let i = 0; i < errors.length; i++) squares += (errors[i] - mean) ** 2;
  const variance = errors.length > 1 ? squares / (errors.length - 1) : 0;
  return { max, mean, variance, worst };
}

/** Flat row-major offset to a full index. */
export function unravel(offset: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  let rest = offset;
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = rest % shape[d];
    rest = Math.floor(rest / shape[d]);
  }
  return index;
}
