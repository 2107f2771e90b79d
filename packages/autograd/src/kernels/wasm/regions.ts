/** Byte alignment of every region and arena buffer: one cache line, so vector loads never split one needlessly. */
export const ALIGN = 64;

export function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

interface Span {
  start: number;
  end: number;
}

/**
 * First-fit allocator of byte ranges inside the fixed wasm memory, shared by the arenas and the kernel
 * scratch. Released ranges merge with free neighbours.
 */
export class RegionAllocator {
  private readonly free: Span[];
  private readonly used = new Map<number, number>();

  constructor(start: number, end: number) {
    const first = alignUp(start);
    this.free = first < end ? [{ start: first, end }] : [];
  }

  /** Start of a fresh range of at least `bytes` bytes, or null if no free range is large enough. */
  reserve(bytes: number): number | null {
    const size = Math.max(ALIGN, alignUp(bytes));
    for (let i = 0; i < this.free.length; i++) {
      const span = this.free[i];
      if (span.end - span.start < size) continue;
      const start = span.start;
      span.start += size;
      if (span.start === span.end) this.free.splice(i, 1);
      this.used.set(start, start + size);
      return start;
    }
    return null;
  }

  release(start: number): void {
    const end = this.used.get(start);
    if (end === undefined) throw new Error(`RegionAllocator: no region starts at ${start}`);
    this.used.delete(start);
    let i = 0;
    while (i < this.free.length && this.free[i].start < start) i++;
    this.free.splice(i, 0, { start, end });
    const next = this.free[i + 1];
    if (next !== undefined && next.start === end) {
      this.free[i].end = next.end;
      this.free.splice(i + 1, 1);
    }
    const previous = this.free[i - 1];
    if (previous !== undefined && previous.end === start) {
      previous.end = this.free[i].end;
      this.free.splice(i, 1);
    }
  }

  get freeBytes(): number {
    let total = 0;
    for (const span of this.free) total += span.end - span.start;
    return total;
  }

  get largestFree(): number {
    let largest = 0;
    for (const span of this.free) largest = Math.max(largest, span.end - span.start);
    return largest;
  }
}
