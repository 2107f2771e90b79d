import { Tensor, formatShape, type Shape } from "../tensor.js";

/** The numpy broadcast of two shapes, or an error naming the op and both shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

export function asTensor(value: Tensor | number): Tensor {
  return typeof value === "number" ? Tensor.scalar(value) : value;
}

/** Normalizes an axis argument (negative counts from the end) and checks it is in range. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const normalized = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(normalized) || normalized < 0 || normalized >= rank) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return normalized;
}

export function requireRank(op: string, t: Tensor, rank: number, name = "input"): void {
  if (t.rank !== rank) throw new RangeError(`${op}: ${name} must have rank ${rank}, got shape ${formatShape(t.shape)}`);
}
