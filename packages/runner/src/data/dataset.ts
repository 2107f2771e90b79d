/**
 * A labelled set of samples kept compact: features stay in their storage type (bytes for images)
 * and are standardized into a reused float64 batch buffer only when a mini-batch is formed.
 */
export interface Dataset {
  /** Where it came from, for messages (e.g. "cifar10:data_batch_1.bin"). */
  readonly name: string;
  /** n×d row-major features. */
  readonly features: Uint8Array | Float32Array | Float64Array;
  /** n labels in [0, classes). */
  readonly labels: Uint8Array | Int32Array;
  readonly count: number;
  readonly dim: number;
  readonly classes: number;
  readonly classNames?: readonly string[];
}

/** Per-feature affine map x → (x − mean) / std, computed from a training set. */
export interface Standardizer {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}
