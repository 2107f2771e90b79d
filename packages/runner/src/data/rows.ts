import type { Dataset } from "./dataset.js";

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

/** out[to + j] = (out[to + j] − mean[j]) / std[j] for j < d. */
export function standardizeRow(out: Float64Array, to: number, d: number, mean: Float64Array, std: Float64Array): void {
  for (let j = 0; j < d; j++) out[to + j] = (out[to + j] - mean[j]) / std[j];
}
