import { BufferPool } from "../pool.js";
import type { BackendStorage } from "./backend.js";

/** Storage on the JS heap: ordinary Float64Arrays, and `BufferPool`s for steps. */
export const heapStorage: BackendStorage = {
  allocate: (length) => new Float64Array(length),
  createPool: () => new BufferPool(),
};
