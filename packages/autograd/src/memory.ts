import { backend } from "./kernels/backend.js";
import type { Allocator } from "./pool.js";

export { BufferPool, type Allocator, type StepPool } from "./pool.js";

let scoped: Allocator | null = null;

/**
 * A buffer for a new tensor: from the allocator of the enclosing `withAllocator` scope, else from the
 * active backend, which decides where it lives (wasm memory, the JS heap) once and for all.
 */
export function allocate(length: number, zeroed = true): Float64Array {
  return scoped === null ? backend().storage.allocate(length, zeroed) : scoped.allocate(length, zeroed);
}

/**
 * Zero-filled storage from the active backend that outlives any `withAllocator` scope it is made in:
 * for state kept across steps (an optimizer's velocities).
 */
export function allocateLasting(length: number): Float64Array {
  return backend().storage.allocate(length, true);
}

/** Runs `fn` with `allocator` providing every tensor buffer, then restores the previous one. */
export function withAllocator<T>(allocator: Allocator, fn: () => T): T {
  const previous = scoped;
  scoped = allocator;
  try {
    return fn();
  } finally {
    scoped = previous;
  }
}
