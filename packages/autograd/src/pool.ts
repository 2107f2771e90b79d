/**
 * A source of tensor buffers for a scope (see `withAllocator`). A training loop installs a pool for
 * each step so that a warm step reuses the memory of the step before, because first touches of fresh
 * pages dominate the cost of a small step.
 */
export interface Allocator {
  /**
   * A buffer of `length` float64. Zero-filled unless `zeroed` is false, in which case it may hold
   * what an earlier step left there (the caller overwrites every element).
   */
  allocate(length: number, zeroed?: boolean): Float64Array;
}

/** An allocator whose buffers `reset()` takes back all at once, and `dispose()` for good. */
export interface StepPool extends Allocator {
  /** Makes every buffer handed out so far available again. Tensors that still use them must not be read. */
  reset(): void;
  /** Frees the pool's memory; every buffer it handed out becomes invalid. */
  dispose(): void;
}

/**
 * Hands out buffers by length and takes them all back at once with `reset()`: a step allocates as it
 * goes, and the next step gets the same buffers in the same order. Buffers are zero-filled on reuse,
 * as fresh ones are, unless the caller says it overwrites them.
 */
export class BufferPool implements StepPool {
  private readonly byLength = new Map<number, { buffers: Float64Array[]; next: number }>();

  allocate(length: number, zeroed = true): Float64Array {
    let slot = this.byLength.get(length);
    if (slot === undefined) {
      slot = { buffers: [], next: 0 };
      this.byLength.set(length, slot);
    }
    if (slot.next < slot.buffers.length) {
      const buffer = slot.buffers[slot.next++];
      if (zeroed) buffer.fill(0);
      return buffer;
    }
    const buffer = new Float64Array(length);
    slot.buffers.push(buffer);
    slot.next++;
    return buffer;
  }

  reset(): void {
    for (const slot of this.byLength.values()) slot.next = 0;
  }

  dispose(): void {
    this.byLength.clear();
  }

  /** Total bytes held. */
  get bytes(): number {
    let total = 0;
    for (const [length, slot] of this.byLength) total += length * 8 * slot.buffers.length;
    return total;
  }
}
