import type { StepPool } from "../pool.js";

/**
 * Where a backend keeps tensor storage. A tensor's buffer is placed once, when it is allocated, and
 * never moves: an array taken from `tensor.data` is the tensor's for as long as it lives.
 */
export interface BackendStorage {
  /**
   * Storage for a tensor made outside any `withAllocator` scope (parameters, optimizer state, batch
   * buffers), zero-filled unless `zeroed` is false. It is the backend's until the array is unreachable.
   */
  allocate(length: number, zeroed: boolean): Float64Array;
  /**
   * A pool for one step's temporaries, to install with `withAllocator` and `reset()` per step.
   * `capacityBytes` is a hint of the most a step holds at once.
   */
  createPool(capacityBytes?: number): StepPool;
}

/**
 * The swappable numeric core: matrix products and where tensors live. Other kernels are registered by
 * name (`registerKernel`), with the plain implementation as the fallback for every backend.
 */
export interface Backend {
  readonly name: string;
  /**
   * C (m×n) = op(A)·op(B), or C += op(A)·op(B) when `accumulate`. op(A) is m×k: A is stored m×k, or
   * k×m when `transA`. op(B) is k×n: B is stored k×n, or n×k when `transB`. Row-major, no copies.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float64Array,
    b: Float64Array,
    c: Float64Array,
    accumulate: boolean,
  ): void;
  readonly storage: BackendStorage;
}

import { plainBackend } from "./plain.js";

let active: Backend = plainBackend;

export function backend(): Backend {
  return active;
}

export function setBackend(next: Backend): Backend {
  const previous = active;
  active = next;
  return previous;
}
