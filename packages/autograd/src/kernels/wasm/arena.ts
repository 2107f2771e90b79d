import type { StepPool } from "../../pool.js";
import { alignUp } from "./regions.js";
import { requireWasmRuntime, type WasmRuntime } from "./runtime.js";

const MIB = 1024 * 1024;
export const DEFAULT_ARENA_BYTES = 256 * MIB;

/**
 * An `Allocator` whose buffers are views inside the wasm memory, so the wasm kernels read and write
 * them in place with no copy. Like `BufferPool`, `reset()` takes every buffer back at once, and a step
 * that allocates the same lengths in the same order gets the same buffers again (zero-filled unless the
 * caller overwrites them).
 * The capacity is fixed at construction: the wasm memory never grows, so views never detach;
 * running out throws.
 */
export class WasmArena implements StepPool {
  private readonly runtime: WasmRuntime;
  private readonly start: number;
  private readonly end: number;
  private readonly views: Float64Array[] = [];
  private next = 0;
  private top: number;
  private highWater = 0;
  private disposed = false;

  constructor(capacityBytes: number = DEFAULT_ARENA_BYTES) {
    if (!Number.isFinite(capacityBytes) || capacityBytes <= 0) {
      throw new RangeError(`WasmArena: capacity must be a positive number of bytes, got ${capacityBytes}`);
    }
    this.runtime = requireWasmRuntime();
    const start = this.runtime.regions.reserve(capacityBytes);
    if (start === null) {
      throw new RangeError(
        `WasmArena: cannot reserve ${mib(capacityBytes)} MiB; the wasm memory has ${mib(this.runtime.regions.largestFree)} MiB free in one piece ` +
          `(dispose() unused arenas, ask for less, or raise GRADSPEC_WASM_MEMORY_MB before the first use)`,
      );
    }
    this.start = start;
    this.end = start + alignUp(capacityBytes);
    this.top = start;
  }

  /** An arena of `capacityBytes`, or null if the wasm memory cannot hold one. */
  static tryCreate(capacityBytes: number): WasmArena | null {
    try {
      return new WasmArena(capacityBytes);
    } catch (error) {
      if (error instanceof RangeError) return null;
      throw error;
    }
  }

  allocate(length: number, zeroed = true): Float64Array {
    const view = this.tryAllocate(length, zeroed);
    if (view === null) {
      throw new RangeError(
        `WasmArena: out of space allocating ${length} float64 (${alignUp(length * 8)} bytes): ${this.top - this.start} of ${this.capacity} bytes in use ` +
          `since the last reset(); create the arena with a larger capacity`,
      );
    }
    return view;
  }

  /** Like `allocate`, but null when the arena has no room left. */
  tryAllocate(length: number, zeroed = true): Float64Array | null {
    if (this.disposed) throw new Error("WasmArena: allocate() after dispose()");
    if (this.next < this.views.length) {
      const view = this.views[this.next];
      if (view.length === length) {
        this.next++;
        this.top = view.byteOffset + alignUp(length * 8);
        if (zeroed) view.fill(0);
        return view;
      }
      // A different sequence of lengths from the step before: forget the rest of the old layout.
      this.views.length = this.next;
    }
    const bytes = alignUp(length * 8);
    if (this.top + bytes > this.end) return null;
    const view = new Float64Array(this.runtime.memory.buffer, this.top, length);
    if (zeroed) view.fill(0);
    this.views.push(view);
    this.next++;
    this.top += bytes;
    this.highWater = Math.max(this.highWater, this.top - this.start);
    return view;
  }

  reset(): void {
    this.next = 0;
    this.top = this.start;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.views.length = 0;
    this.runtime.regions.release(this.start);
  }

  /** Whether `x` is a view into this arena's range. */
  owns(x: Float64Array): boolean {
    return x.buffer === this.runtime.memory.buffer && x.byteOffset >= this.start && x.byteOffset < this.end;
  }

  get capacity(): number {
    return this.end - this.start;
  }

  /** Largest number of bytes in use at once since construction. */
  get bytes(): number {
    return this.highWater;
  }
}

function mib(bytes: number): string {
  return (bytes / MIB).toFixed(1);
}
