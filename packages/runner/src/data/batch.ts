import type { Dataset, Standardizer } from "./dataset.js";
import { copyRow, standardizeByteRows, standardizeRow } from "./rows.js";

/**
 * Writes rows `indices` of `dataset` into `out` (row-major, indices.length × dim) as float64,
 * standardized when a standardizer is given. Allocates nothing; returns the number of rows written.
 * Standardized bytes go through the active kernels (identical rows whichever runs).
 */
export function fillBatch(dataset: Dataset, indices: Int32Array, standardizer: Standardizer | null, out: Float64Array): number {
  const d = dataset.dim;
  const n = indices.length;
  checkOut(dataset, n, standardizer, out);
  for (let r = 0; r < n; r++) {
    const i = indices[r];
    if (i < 0 || i >= dataset.count) throw new RangeError(`fillBatch: index ${i} at position ${r} is outside 0..${dataset.count - 1} of ${dataset.name}`);
  }
  if (standardizer !== null && dataset.features instanceof Uint8Array) {
    standardizeByteRows(dataset.features, indices, d, standardizer, out);
    return n;
  }
  for (let r = 0; r < n; r++) writeRow(dataset.features, indices[r] * d, d, standardizer, out, r * d);
  return n;
}

/** Like fillBatch for the consecutive rows start..end-1. */
export function fillRange(dataset: Dataset, start: number, end: number, standardizer: Standardizer | null, out: Float64Array): number {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > dataset.count || start > end) {
    throw new RangeError(`fillRange: rows ${start}..${end} are outside 0..${dataset.count} of ${dataset.name}`);
  }
  const d = dataset.dim;
  const n = end - start;
  checkOut(dataset, n, standardizer, out);
  for (let r = 0; r < n; r++) writeRow(dataset.features, (start + r) * d, d, standardizer, out, r * d);
  return n;
}

/** Writes the labels of rows `indices` into `out`; allocates nothing. */
export function fillLabels(dataset: Dataset, indices: Int32Array, out: Int32Array): number {
  const n = indices.length;
  if (out.length < n) throw new RangeError(`fillLabels: out holds ${out.length} labels, need ${n}`);
  for (let r = 0; r < n; r++) out[r] = dataset.labels[indices[r]];
  return n;
}

/** All rows as one standardized float64 matrix (count × dim); for small sets and evaluation. */
export function toMatrix(dataset: Dataset, standardizer: Standardizer | null): Float64Array {
  const out = new Float64Array(dataset.count * dataset.dim);
  fillRange(dataset, 0, dataset.count, standardizer, out);
  return out;
}

function writeRow(
  features: Dataset["features"], from: number, d: number, standardizer: Standardizer | null, out: Float64Array, to: number,
): void {
  copyRow(features, from, d, out, to);
  if (standardizer !== null) standardizeRow(out, to, d, standardizer.mean, standardizer.std);
}

function checkOut(dataset: Dataset, rows: number, standardizer: Standardizer | null, out: Float64Array): void {
  const d = dataset.dim;
  if (out.length < rows * d) throw new RangeError(`fillBatch: out holds ${out.length} values, need ${rows}×${d} = ${rows * d}`);
  if (standardizer !== null && (standardizer.mean.length !== d || standardizer.std.length !== d)) {
    throw new RangeError(`fillBatch: standardizer has ${standardizer.mean.length} features, ${dataset.name} has ${d}`);
  }
}
