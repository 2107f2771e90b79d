import { alignUp } from "./regions.js";
import { Scratch } from "./scratch.js";
import type { WasmRuntime } from "./runtime.js";

/**
 * Places a call's operands in the wasm memory: arrays already there are used in place, others are
 * copied into one scratch region, whose contents do not survive the call. One per runtime.
 */
export class Staging {
  private readonly scratch: Scratch;
  private cursor = 0;
  private warned = false;

  constructor(private readonly runtime: WasmRuntime) {
    this.scratch = new Scratch(runtime.regions);
  }

  inside(x: ArrayBufferView): boolean {
    return x.buffer === this.runtime.memory.buffer;
  }

  /** Scratch bytes `x`'s first `length` float64 need (none if it is inside). */
  bytes(x: Float64Array, length: number): number {
    return this.inside(x) ? 0 : alignUp(length * 8);
  }

  /**
   * Starts a call needing `need` bytes of scratch; false (with one warning per process) if the wasm
   * memory has no room, and the caller then runs its plain kernel.
   */
  begin(need: number): boolean {
    const start = this.scratch.ensure(need);
    if (start === null) {
      if (!this.warned) {
        this.warned = true;
        process.emitWarning(`gradspec: wasm memory has no room for ${need} bytes of kernel scratch; large calls fall back to the plain kernels`);
      }
      return false;
    }
    this.cursor = start;
    return true;
  }

  /** `count` bytes of scratch; returns their byte offset. */
  takeBytes(count: number): number {
    const at = this.cursor;
    this.cursor += alignUp(count);
    return at;
  }

  take(length: number): number {
    return this.takeBytes(length * 8);
  }

  /** Byte offset of `x`'s first `length` elements in the wasm memory, copying them into scratch if needed. */
  place(x: Float64Array, length: number): number {
    if (this.inside(x)) return x.byteOffset;
    const at = this.take(length);
    this.runtime.heap.set(x.length === length ? x : x.subarray(0, length), at >>> 3);
    return at;
  }

  /** Where a result of `length` float64 is written: in place if `out` is inside, else scratch. */
  output(out: Float64Array, length: number): number {
    return this.inside(out) ? out.byteOffset : this.take(length);
  }

  /** Copies a result written at `at` into `out` unless it was written there in place. */
  copyBack(out: Float64Array, at: number, length: number): void {
    if (!this.inside(out)) out.set(this.runtime.heap.subarray(at >>> 3, (at >>> 3) + length));
  }

  /** The position after the last `take`: the start of a kernel's own work space. */
  get position(): number {
    return this.cursor;
  }
}
