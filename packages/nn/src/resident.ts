import { createResidentAllocator, type Tensor } from "@gradspec/autograd";

/** Parameters placed where the kernels read them, for the length of a training run. */
export interface ResidentParameters {
  /** Zero-filled buffers in the same memory, for optimizer state. */
  allocate(length: number): Float64Array;
  /** Moves the parameters back into their own arrays (with their current values) and frees the memory. */
  release(): void;
}

// Arena buffers start on cache lines: room for one line of padding per buffer.
const PADDING_BYTES = 64;

/**
 * With the wasm kernels, moves `params` (and later their optimizer state, through `allocate`) into one
 * wasm-memory arena, so the first layer's weights are no longer copied into kernel scratch for every
 * product and the momentum update runs in wasm. Otherwise, or if the memory has no room, a no-op.
 */
export function makeResident(tensors: readonly Tensor[]): ResidentParameters {
  const params = [...new Set(tensors)];
  // Each parameter and one optimizer-state buffer of its size (SGD's velocity).
  const bytes = params.reduce((total, p) => total + p.size * 8 + PADDING_BYTES, 0) * 2;
  const arena = bytes === 0 ? null : createResidentAllocator(bytes);
  if (arena === null) return { allocate: (length) => new Float64Array(length), release: () => {} };
  const own = params.map((p) => p.moveStorage(arena.allocate(p.size, false)));
  let released = false;
  return {
    allocate: (length) => arena.allocate(length),
    release() {
      if (released) return;
      released = true;
      params.forEach((p, i) => p.moveStorage(own[i]));
      arena.dispose();
    },
  };
}
