import { type Tensor, formatShape } from "@gradspec/autograd";

/**
 * Samples the training loop can draw mini-batches from. Implementations keep their storage compact
 * and write float64 rows only into the buffer they are given.
 */
export interface BatchSource {
  readonly count: number;
  readonly dim: number;
  readonly classes: number;
  /**
   * Writes the rows `indices` (indices.length × dim) into `out` and their labels into `labels`.
   * `at` is given for training batches only (never when evaluating): which one it is, so a source
   * may vary them reproducibly (data augmentation); the object is reused, so copy what you keep.
   */
  fill(indices: Int32Array, out: Float64Array, labels: Int32Array, at?: BatchPosition): void;
}

/** A training batch's place in the run: epoch and batch count from 1. */
export interface BatchPosition {
  epoch: number;
  batch: number;
}

/** A BatchSource over an in-memory n×d tensor and its labels. */
export function tensorSource(x: Tensor, labels: ArrayLike<number>, classes?: number): BatchSource {
  if (x.rank !== 2) throw new RangeError(`tensorSource: features must be n×d, got ${formatShape(x.shape)}`);
  const [count, dim] = x.shape;
  if (labels.length !== count) throw new RangeError(`tensorSource: ${labels.length} labels for ${count} rows`);
  let maxLabel = -1;
  for (let i = 0; i < labels.length; i++) maxLabel = Math.max(maxLabel, labels[i]);
  return {
    count,
    dim,
    classes: classes ?? maxLabel + 1,
    fill(indices, out, outLabels) {
      for (let r = 0; r < indices.length; r++) {
        const i = indices[r];
        out.set(x.data.subarray(i * dim, (i + 1) * dim), r * dim);
        outLabels[r] = labels[i];
      }
    },
  };
}
