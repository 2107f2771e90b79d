/**
 * Image augmentation on bytes: a random horizontal flip and a random crop of the image padded with
 * zeros, each image's draw a pure function of (seed, epoch, batch, row), so a resumed run and every
 * worker see the same augmentations. Nothing here allocates.
 */

/** Planar images: `channels` planes of height × width bytes, each row-major (CIFAR-10: 3 × 32 × 32). */
export interface ImageShape {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

export interface Augmentation {
  readonly flip: boolean;
  /** Zero pixels added on every side before a window of the original size is cut; 0: no crop. */
  readonly padding: number;
}

/** One image's draw: mirror it or not, and the crop window's corner in the padded image (0 … 2·padding). */
export interface ImageDraw {
  flip: boolean;
  dy: number;
  dx: number;
}

/**
 * Writes the augmented copy of the image at src[from …] into out[to …]: out(c, y, x) is the padded
 * image's pixel (c, y + dy, x' + dx) with x' = width − 1 − x when flipped, else x; the padded image is
 * src shifted by `padding` with zeros around it.
 */
export function augmentImage(src: Uint8Array, from: number, out: Uint8Array, to: number, shape: ImageShape, padding: number, draw: ImageDraw): void {
  const { channels, height, width } = shape;
  const plane = height * width;
  const shiftY = draw.dy - padding;
  const shiftX = draw.dx - padding;
  for (let c = 0; c < channels; c++) {
    const srcPlane = from + c * plane;
    const outPlane = to + c * plane;
    for (let y = 0; y < height; y++) {
      const sy = y + shiftY;
      const outRow = outPlane + y * width;
      if (sy < 0 || sy >= height) {
        out.fill(0, outRow, outRow + width);
        continue;
      }
      const srcRow = srcPlane + sy * width;
      // The columns whose source pixel lies inside the image, so the copy loops test nothing per pixel.
      if (draw.flip) {
        // source column width − 1 − x + shiftX
        const first = Math.min(width, Math.max(0, shiftX));
        const end = Math.min(width, width + shiftX);
        out.fill(0, outRow, outRow + first);
        for (let x = first, from = srcRow + width - 1 - first + shiftX; x < end; x++, from--) out[outRow + x] = src[from];
        out.fill(0, outRow + Math.max(first, end), outRow + width);
      } else {
        const first = Math.min(width, Math.max(0, -shiftX));
        const end = Math.min(width, width - shiftX);
        out.fill(0, outRow, outRow + first);
        for (let x = first, from = srcRow + first + shiftX; x < end; x++, from++) out[outRow + x] = src[from];
        out.fill(0, outRow + Math.max(first, end), outRow + width);
      }
    }
  }
}

/** Fills `draw` for row `row` of training batch `batch` of epoch `epoch` under `seed`. */
export function drawFor(draw: ImageDraw, augmentation: Augmentation, seed: number, epoch: number, batch: number, row: number): void {
  const h = hash4(seed, epoch, batch, row);
  const span = 2 * augmentation.padding + 1;
  draw.flip = augmentation.flip && (h & 1) === 1;
  // Two further independent words for the offsets (the low bit decided the flip).
  const g = mix(h ^ 0x85ebca6b);
  draw.dy = augmentation.padding === 0 ? 0 : (g >>> 0) % span;
  draw.dx = augmentation.padding === 0 ? 0 : (mix(g ^ 0xc2b2ae35) >>> 0) % span;
}

/** murmur3's 32-bit finalizer. */
function mix(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hash4(a: number, b: number, c: number, d: number): number {
  let h = mix(a ^ 0x9e3779b9);
  h = mix(h ^ b);
  h = mix(h ^ c);
  return mix(h ^ d);
}
