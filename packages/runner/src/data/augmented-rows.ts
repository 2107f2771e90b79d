import type { BatchPosition } from "@gradspec/nn";
import type { DataSpec } from "../spec/types.js";
import { augmentImage, drawFor, type Augmentation, type ImageDraw, type ImageShape } from "./augment.js";
import { fillBatch } from "./batch.js";
import type { Dataset, Standardizer } from "./dataset.js";

/** The image layout of each source whose samples are images. */
export const IMAGE_SHAPES: Readonly<Partial<Record<DataSpec["source"], ImageShape>>> = {
  cifar10: { channels: 3, height: 32, width: 32 },
  mnist: { channels: 1, height: 28, width: 28 },
};

/**
 * Training batches of byte images, augmented and then standardized like any batch. The augmented
 * bytes go to a scratch batch kept between calls, so a warm batch allocates nothing.
 */
export class AugmentedRows {
  private scratch: Dataset | undefined;
  /** 0, 1, 2, … as the rows of the scratch batch, by row count (a batch size and a last, smaller batch). */
  private readonly identity = new Map<number, Int32Array>();
  private readonly draw: ImageDraw = { flip: false, dy: 0, dx: 0 };

  constructor(
    readonly augmentation: Augmentation,
    readonly shape: ImageShape,
    /** The run's training seed. */
    readonly seed: number,
  ) {}

  fill(dataset: Dataset, indices: Int32Array, standardizer: Standardizer, out: Float64Array, at: BatchPosition): void {
    const { features, dim } = dataset;
    const { channels, height, width } = this.shape;
    if (!(features instanceof Uint8Array) || dim !== channels * height * width) {
      throw new RangeError(`augment: ${dataset.name} does not hold ${channels}×${height}×${width} byte images`);
    }
    const n = indices.length;
    const batch = this.batchFor(n, dim);
    for (let r = 0; r < n; r++) {
      const i = indices[r];
      if (i < 0 || i >= dataset.count) throw new RangeError(`augment: index ${i} at position ${r} is outside 0..${dataset.count - 1} of ${dataset.name}`);
      drawFor(this.draw, this.augmentation, this.seed, at.epoch, at.batch, r);
      augmentImage(features, i * dim, batch.features as Uint8Array, r * dim, this.shape, this.augmentation.padding, this.draw);
    }
    fillBatch(batch, this.rows(n), standardizer, out);
  }

  private batchFor(n: number, dim: number): Dataset {
    if (this.scratch === undefined || this.scratch.count < n) {
      this.scratch = { name: "augmented batch", features: new Uint8Array(n * dim), labels: new Uint8Array(n), count: n, dim, classes: 1 };
      this.identity.clear();
    }
    return this.scratch;
  }

  private rows(n: number): Int32Array {
    let rows = this.identity.get(n);
    if (rows === undefined) {
      rows = Int32Array.from({ length: n }, (_, i) => i);
      this.identity.set(n, rows);
    }
    return rows;
  }
}

/** The training batches' augmentation a data section asks for, or undefined. */
export function trainingAugmentation(data: DataSpec, seed: number): AugmentedRows | undefined {
  const spec = data.augment;
  const shape = IMAGE_SHAPES[data.source];
  if (spec === undefined || shape === undefined) return undefined;
  const augmentation: Augmentation = { flip: spec.flip, padding: spec.crop?.padding ?? 0 };
  if (!augmentation.flip && augmentation.padding === 0) return undefined;
  return new AugmentedRows(augmentation, shape, seed);
}
