import { Tensor, type Shape } from "../tensor.js";
import { recordOp } from "../tape.js";
import { broadcastCopy, sumSquaresBackward } from "../kernels/elementwise.js";
import { maxAxis, sumAll, sumAxis, sumSquaresAll } from "../kernels/reduce.js";
import { activeReuse } from "../gradcheck/reuse.js";
import { normalizeAxis } from "./shape.js";
import { scale } from "./unary.js";

export interface ReduceOptions {
  /** One axis, several, or all when omitted. */
  axis?: number | readonly number[];
  keepdims?: boolean;
}

function resolveAxes(op: string, x: Tensor, axis: ReduceOptions["axis"]): number[] {
  if (axis === undefined) return x.shape.map((_, i) => i);
  const list = typeof axis === "number" ? [axis] : [...axis];
  const axes = list.map((a) => normalizeAxis(op, a, x.rank));
  if (new Set(axes).size !== axes.length) throw new RangeError(`${op}: axis ${JSON.stringify(axis)} repeats an axis`);
  return axes.sort((p, q) => p - q);
}

function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function splitAt(shape: Shape, axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[axis], inner];
}

/** Sum over the given axes (all by default). */
export function sum(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axes = resolveAxes("sum", x, options.axis);
  const kept = keptShape(x.shape, axes);
  let data: Float64Array;
  if (axes.length === x.rank) {
    data = Tensor.scalar(sumAll(x.data)).data;
  } else {
    let current = x.data;
    let currentShape = [...x.shape];
    for (const axis of axes) {
      const [outer, len, inner] = splitAt(currentShape, axis);
      const next = Tensor.empty([outer * inner]).data;
      sumAxis(current, outer, len, inner, next);
      current = next;
      currentShape[axis] = 1;
    }
    data = current;
  }
  const outShape = options.keepdims ? kept : x.shape.filter((_, i) => !axes.includes(i));
  const out = new Tensor(data, outShape);
  return recordOp("sum", [x], out, (dy) => {
    const g = Tensor.empty(x.shape);
    broadcastCopy(dy.data, kept, g.data, x.shape);
    return [g];
  });
}

/**
 * Σ x² over every element, a scalar: `sum(square(x))` bit for bit (value and gradient) without the
 * squared temporary. An L2 penalty written with it is also cheap to re-evaluate in a gradient check.
 */
export function sumSquares(x: Tensor): Tensor {
  const reuse = activeReuse();
  const out = Tensor.scalar(reuse === null ? sumSquaresAll(x.data) : reuse.sumSquares(x, sumSquaresAll));
  return recordOp("sumSquares", [x], out, (dy) => {
    const g = Tensor.empty(x.shape);
    sumSquaresBackward(x.data, dy.data[0], g.data);
    return [g];
  });
}

/** Mean over the given axes (all by default). */
export function mean(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axes = resolveAxes("mean", x, options.axis);
  let count = 1;
  for (const a of axes) count *= x.shape[a];
  return scale(sum(x, options), 1 / count);
}

/** Maximum along one axis; the gradient flows to the first maximal element. */
export function max(x: Tensor, axis: number, options: { keepdims?: boolean } = {}): Tensor {
  const ax = normalizeAxis("max", axis, x.rank);
  const [outer, len, inner] = splitAt(x.shape, ax);
  if (len === 0) throw new RangeError("max: cannot take the maximum over an empty axis");
  const kept = keptShape(x.shape, [ax]);
  const out = Tensor.empty(options.keepdims ? kept : x.shape.filter((_, i) => i !== ax));
  const argmax = new Int32Array(outer * inner);
  maxAxis(x.data, outer, len, inner, out.data, argmax);
  return recordOp("max", [x], out, (dy) => {
    const g = Tensor.zeros(x.shape);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const r = o * inner + i;
        g.data[o * len * inner + argmax[r] * inner + i] = dy.data[r];
      }
    }
    return [g];
  });
}
