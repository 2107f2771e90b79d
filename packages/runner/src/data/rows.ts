import { kernel } from "@gradspec/autograd";
import type { Dataset, Standardizer } from "./dataset.js";
import { STANDARDIZE_BYTES_KERNEL } from "./standardize-kernel.js";

/**
 * Copies features[from .. from+d) into out[to ..) as float64. One loop per storage type, so each
 * stays monomorphic (a shared loop over mixed typed arrays runs several times slower in V8).
 */
export function copyRow(features: Dataset["features"], from: number, d: number, out: Float64Array, to: number): void {
  if (features instanceof Uint8Array) copyBytes(features, from, d, out, to);
  else if (features instanceof Float64Array) copyDoubles(features, from, d, out, to);
  else copySingles(features, from, d, out, to);
}

function copyBytes(src: Uint8Array, from: number, d: number, out: Float64Array, to: number): void {
  for (let j = 0; j < d; j++) out[to + j] = src[from + j];
}

function copyDoubles(src: Float64Array, from: number, d: number, out: Float64Array, to: number): void {
  for (let j = 0; j < d; j++) out[to + j] = src[from + j];
}

function copySingles(src: Float32Array, from: number, d: number, out: Float64Array, to: number): void {
  for (let j = 0; j < d; j++) out[to + j] = src[from + j];
}

/** Rows `indices` of a byte matrix, standardized, into out (indices.length × d) by the active backend's kernel. Indices are not checked. */
export function standardizeByteRows(features: Uint8Array, indices: Int32Array, d: number, standardizer: Standardizer, out: Float64Array): void {
  kernel(STANDARDIZE_BYTES_KERNEL)(features, indices, d, standardizer.mean, standardizer.std, out);
}

/** out[to + j] = (out[to + j] − mean[j]) / std[j] for j < d; the same formula as `standardizeBytes`. */
export function standardizeRow(out: Float64Array, to: number, d: number, mean: Float64Array, std: Float64Array): void {
  for (let j = 0; j < d; j++) out[to + j] = (out[to + j] - mean[j]) / std[j];
}
