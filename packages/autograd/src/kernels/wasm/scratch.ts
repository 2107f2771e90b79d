import type { RegionAllocator } from "./regions.js";

const MIN_BYTES = 16 * 1024 * 1024;

/**
 * One region of wasm memory for operands that live outside it (copied in per call) and for transposed
 * copies. It only grows, by doubling, and its contents do not survive a call.
 */
export class Scratch {
  private start = 0;
  private size = 0;

  constructor(private readonly regions: RegionAllocator) {}

  /** Start of at least `bytes` bytes of scratch, or null if the wasm memory has no room left. */
  ensure(bytes: number): number | null {
    if (bytes <= this.size) return this.start;
    const previous = this.size;
    if (previous > 0) this.regions.release(this.start);
    this.size = 0;
    for (const size of [Math.max(bytes, 2 * previous, MIN_BYTES), bytes]) {
      const start = this.regions.reserve(size);
      if (start !== null) {
        this.start = start;
        this.size = size;
        return start;
      }
    }
    return null;
  }
}
