import type { Dataset, Standardizer } from "./dataset.js";
import { copyRow } from "./rows.js";

/**
 * "feature": per-feature mean and population std over the dataset (the seed report's preprocessing).
 * "channel": one mean and std per channel of a channels × (dim / channels) planar layout (CIFAR-10: 3 × 1024),
 * repeated over that channel's features.
 */
export type StandardizeMode = "feature" | "channel";

export interface StandardizeOptions {
  /** Channels of a planar layout for mode "channel"; default 3. */
  readonly channels?: number;
}

/** Rows converted to float64 at a time (bounded scratch, monomorphic inner loops). */
const CHUNK_ROWS = 32;

/**
 * Fits x → (x − mean) / std on `dataset` (normally the training set) with population statistics.
 * Byte features: one pass of exact integer sums Σx, Σx², combined exactly (BigInt) into n²·variance,
 * so mean and variance are correctly rounded. Float features: two float64 passes (mean, then squared
 * deviations). A feature or channel whose std is 0 gets std 1.
 */
export function fitStandardizer(dataset: Dataset, mode: StandardizeMode = "feature", options: StandardizeOptions = {}): Standardizer {
  const { count: n, dim: d, features } = dataset;
  if (n === 0) throw new RangeError(`fitStandardizer: ${dataset.name} has no samples`);
  const channels = mode === "channel" ? options.channels ?? 3 : d;
  if (!Number.isInteger(channels) || channels < 1 || d % channels !== 0) {
    throw new RangeError(`fitStandardizer: ${dataset.name} has ${d} features, not a whole number of pixels for ${channels} channels`);
  }
  const plane = d / channels;
  const sum = new Float64Array(d);
  const sq = new Float64Array(d);
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  if (features instanceof Uint8Array) {
    byteSums(features, n, d, sum, sq);
    for (let c = 0; c < channels; c++) {
      const [m, variance] = exactMoments(total(sum, c, plane), total(sq, c, plane), n * plane);
      fillGroup(mean, std, c, plane, m, variance);
    }
    return { mean, std };
  }
  const scratch = new Float64Array(CHUNK_ROWS * d);
  forChunks(dataset, scratch, (rows) => addRows(scratch, rows, d, sum));
  for (let c = 0; c < channels; c++) mean.fill(total(sum, c, plane) / (n * plane), c * plane, (c + 1) * plane);
  forChunks(dataset, scratch, (rows) => addSquaredDeviations(scratch, rows, d, mean, sq));
  for (let c = 0; c < channels; c++) fillGroup(mean, std, c, plane, mean[c * plane], total(sq, c, plane) / (n * plane));
  return { mean, std };
}

/** The identity map for `dim` features (mean 0, std 1). */
export function identityStandardizer(dim: number): Standardizer {
  return { mean: new Float64Array(dim), std: new Float64Array(dim).fill(1) };
}

function fillGroup(mean: Float64Array, std: Float64Array, c: number, plane: number, m: number, variance: number): void {
  const sd = Math.sqrt(variance);
  mean.fill(m, c * plane, (c + 1) * plane);
  std.fill(sd > 0 ? sd : 1, c * plane, (c + 1) * plane);
}

function total(values: Float64Array, c: number, plane: number): number {
  let s = 0;
  for (let j = c * plane; j < (c + 1) * plane; j++) s += values[j];
  return s;
}

/** Mean and population variance from exact integer sums (each < 2^53) of `count` values. */
function exactMoments(sum: number, sumSquares: number, count: number): [number, number] {
  const n = BigInt(count);
  const s = BigInt(sum);
  const nSquaredVariance = n * BigInt(sumSquares) - s * s;
  return [sum / count, Number(nSquaredVariance) / (count * count)];
}

/** Per-feature Σx and Σx² of byte rows (exact while count·255² < 2^53). */
function byteSums(x: Uint8Array, n: number, d: number, sum: Float64Array, sq: Float64Array): void {
  for (let i = 0, base = 0; i < n; i++, base += d) {
    for (let j = 0; j < d; j++) {
      const v = x[base + j];
      sum[j] += v;
      sq[j] += v * v;
    }
  }
}

function forChunks(dataset: Dataset, scratch: Float64Array, visit: (rows: number) => void): void {
  const { count: n, dim: d, features } = dataset;
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, n - start);
    for (let r = 0; r < rows; r++) copyRow(features, (start + r) * d, d, scratch, r * d);
    visit(rows);
  }
}

function addRows(x: Float64Array, rows: number, d: number, sum: Float64Array): void {
  for (let r = 0, base = 0; r < rows; r++, base += d) {
    for (let j = 0; j < d; j++) sum[j] += x[base + j];
  }
}

function addSquaredDeviations(x: Float64Array, rows: number, d: number, mean: Float64Array, sq: Float64Array): void {
  for (let r = 0, base = 0; r < rows; r++, base += d) {
    for (let j = 0; j < d; j++) {
      const dev = x[base + j] - mean[j];
      sq[j] += dev * dev;
    }
  }
}
