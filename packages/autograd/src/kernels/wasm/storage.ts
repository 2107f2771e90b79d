import type { BackendStorage } from "../backend.js";
import { BufferPool, type StepPool } from "../../pool.js";
import { WasmArena } from "./arena.js";
import type { WasmRuntime } from "./runtime.js";

/** Below this many float64 a tensor stays on the JS heap: the kernels copy so little of it that a region would cost more. */
export const RESIDENT_MIN_LENGTH = 1024;
const DEFAULT_POOL_BYTES = 128 * 1024 * 1024;

/**
 * Tensors of the wasm backend live in the wasm memory, each in a region that goes back to the memory
 * once its array is garbage: a FinalizationRegistry watches the array, which is the only way to reach
 * the region (keep it, not only views made from it with `subarray`, while using them). When the
 * memory is full, storage comes from the JS heap, where the kernels copy it per call.
 */
export function createWasmStorage(runtime: WasmRuntime): BackendStorage {
  const { regions, memory } = runtime;
  const reclaim = new FinalizationRegistry<number>((start) => regions.release(start));
  return {
    allocate(length, zeroed) {
      if (length < RESIDENT_MIN_LENGTH) return new Float64Array(length);
      const start = regions.reserve(length * 8);
      if (start === null) return new Float64Array(length);
      const view = new Float64Array(memory.buffer, start, length);
      if (zeroed) view.fill(0);
      reclaim.register(view, start);
      return view;
    },
    createPool(capacityBytes = DEFAULT_POOL_BYTES): StepPool {
      const arena = WasmArena.tryCreate(capacityBytes);
      return arena === null ? new BufferPool() : new SpillingPool(arena);
    },
  };
}

/** An arena that hands out JS-heap buffers (from a BufferPool) once it is full, instead of failing. */
class SpillingPool implements StepPool {
  private readonly spill = new BufferPool();

  constructor(private readonly arena: WasmArena) {}

  allocate(length: number, zeroed = true): Float64Array {
    return this.arena.tryAllocate(length, zeroed) ?? this.spill.allocate(length, zeroed);
  }

  reset(): void {
    this.arena.reset();
    this.spill.reset();
  }

  dispose(): void {
    this.arena.dispose();
    this.spill.dispose();
  }
}
