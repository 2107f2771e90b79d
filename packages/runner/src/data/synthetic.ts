import { Rng } from "@gradspec/autograd";
import type { Dataset } from "./dataset.js";

export interface BlobOptions {
  readonly seed: number;
  /** Number of classes (blob centers); default 3. */
  readonly classes?: number;
  /** Feature dimension; default 2. */
  readonly dim?: number;
  /** Std of the centers around the origin (each sample has std 1 around its center); default 3. */
  readonly spread?: number;
  /** Training samples; default 300. */
  readonly train?: number;
  /** Test samples; default 100. */
  readonly test?: number;
}

export interface BlobSplit {
  readonly train: Dataset;
  readonly test: Dataset;
  /** classes × dim, row-major. */
  readonly centers: Float64Array;
}

/**
 * Seeded Gaussian blobs: centers ~ N(0, spread²·I), samples ~ N(center, I). Sample i has label
 * i mod classes, so classes are balanced (within one). Centers, training and test samples come from
 * separate sub-streams of the seed, so changing one split's size leaves the other unchanged.
 */
export function syntheticBlobs(options: BlobOptions): BlobSplit {
  const classes = positiveInt(options.classes ?? 3, "classes");
  const dim = positiveInt(options.dim ?? 2, "dim");
  const spread = options.spread ?? 3;
  if (!(spread >= 0 && Number.isFinite(spread))) throw new RangeError(`syntheticBlobs: spread must be ≥ 0, got ${spread}`);
  const rng = Rng.derive(options.seed, 0);
  const centers = new Float64Array(classes * dim);
  for (let k = 0; k < centers.length; k++) centers[k] = spread * rng.normal();
  const trainCount = nonNegativeInt(options.train ?? 300, "train");
  const testCount = nonNegativeInt(options.test ?? 100, "test");
  const train = sampleBlobs(centers, classes, dim, trainCount, Rng.derive(options.seed, 1), "synthetic:train");
  const test = sampleBlobs(centers, classes, dim, testCount, Rng.derive(options.seed, 2), "synthetic:test");
  return { train, test, centers };
}

function sampleBlobs(centers: Float64Array, classes: number, dim: number, count: number, rng: Rng, name: string): Dataset {
  const features = new Float64Array(count * dim);
  const labels = classes > 256 ? new Int32Array(count) : new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    labels[i] = label;
    for (let j = 0; j < dim; j++) features[i * dim + j] = centers[label * dim + j] + rng.normal();
  }
  const classNames = Array.from({ length: classes }, (_, c) => `blob${c}`);
  return { name, features, labels, count, dim, classes, classNames };
}

function positiveInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`syntheticBlobs: ${what} must be a positive integer, got ${value}`);
  return value;
}

function nonNegativeInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`syntheticBlobs: ${what} must be a non-negative integer, got ${value}`);
  return value;
}
