import type { Dataset } from "./dataset.js";

type Features = Dataset["features"];
type Labels = Dataset["labels"];

/**
 * An order of the samples of classes with `counts` samples each (class order kept within a class)
 * in which every prefix and every suffix holds each class in proportion, within one sample: sample k
 * of class c is placed at (k + ½) / counts[c] of the way through. Deterministic, no seed.
 */
export function classInterleavedOrder(counts: readonly number[]): { label: number; index: number }[] {
  const order: { label: number; index: number; at: number }[] = [];
  counts.forEach((count, label) => {
    for (let index = 0; index < count; index++) order.push({ label, index, at: (index + 0.5) / count });
  });
  order.sort((a, b) => a.at - b.at || a.label - b.label);
  return order.map(({ label, index }) => ({ label, index }));
}

/** Rows start..end-1 as views on the same memory (no copy). */
export function subset(dataset: Dataset, start: number, end: number, name?: string): Dataset {
  checkRange(dataset, start, end);
  const d = dataset.dim;
  return withRows(dataset, dataset.features.subarray(start * d, end * d), dataset.labels.subarray(start, end), end - start,
    name ?? `${dataset.name}[${start}:${end}]`);
}

/** The rows at `indices`, copied into compact arrays of the same types. */
export function takeRows(dataset: Dataset, indices: ArrayLike<number>, name?: string): Dataset {
  const d = dataset.dim;
  const n = indices.length;
  const features = newFeatures(dataset.features, n * d);
  const labels = newLabels(dataset.labels, n);
  for (let r = 0; r < n; r++) {
    const i = indices[r];
    if (!Number.isInteger(i) || i < 0 || i >= dataset.count) {
      throw new RangeError(`takeRows: index ${i} at position ${r} is outside 0..${dataset.count - 1} of ${dataset.name}`);
    }
    features.set(dataset.features.subarray(i * d, i * d + d), r * d);
    labels[r] = dataset.labels[i];
  }
  return withRows(dataset, features, labels, n, name ?? `${dataset.name}[${n} rows]`);
}

/** The rows of all datasets, in order, copied into one compact dataset (same dim, classes and storage types). */
export function concat(datasets: readonly Dataset[], name?: string): Dataset {
  if (datasets.length === 0) throw new RangeError("concat: no datasets");
  const first = datasets[0];
  if (datasets.length === 1) return first;
  let count = 0;
  for (const ds of datasets) {
    if (ds.dim !== first.dim || ds.classes !== first.classes) {
      throw new RangeError(`concat: ${ds.name} is ${ds.dim}-d with ${ds.classes} classes, ${first.name} is ${first.dim}-d with ${first.classes}`);
    }
    if (ds.features.constructor !== first.features.constructor || ds.labels.constructor !== first.labels.constructor) {
      throw new RangeError(`concat: ${ds.name} stores different array types from ${first.name}`);
    }
    count += ds.count;
  }
  const features = newFeatures(first.features, count * first.dim);
  const labels = newLabels(first.labels, count);
  let row = 0;
  for (const ds of datasets) {
    features.set(ds.features.subarray(0, ds.count * ds.dim), row * first.dim);
    labels.set(ds.labels.subarray(0, ds.count), row);
    row += ds.count;
  }
  return withRows(first, features, labels, count, name ?? datasets.map((ds) => ds.name).join("+"));
}

/** The number of samples per class. */
export function classCounts(dataset: Dataset): Int32Array {
  const counts = new Int32Array(dataset.classes);
  for (let i = 0; i < dataset.count; i++) counts[dataset.labels[i]]++;
  return counts;
}

function withRows(like: Dataset, features: Features, labels: Labels, count: number, name: string): Dataset {
  const base = { name, features, labels, count, dim: like.dim, classes: like.classes };
  return like.classNames === undefined ? base : { ...base, classNames: like.classNames };
}

function newFeatures(like: Features, length: number): Features {
  if (like instanceof Uint8Array) return new Uint8Array(length);
  if (like instanceof Float32Array) return new Float32Array(length);
  return new Float64Array(length);
}

function newLabels(like: Labels, length: number): Labels {
  return like instanceof Uint8Array ? new Uint8Array(length) : new Int32Array(length);
}

function checkRange(dataset: Dataset, start: number, end: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > dataset.count || start > end) {
    throw new RangeError(`rows ${start}..${end} are outside 0..${dataset.count} of ${dataset.name}`);
  }
}
