// Entry point of the f64x2 kernels. Every pointer is a byte offset into the imported memory; the host
// places operands and scratch there and this module never allocates.

import { outerScratchBytes } from "./nn";

export { gemmNN, gemmTN } from "./nn";
export { gemmNT, gemmTT } from "./nt";
export { standardizeBytes } from "./standardize";
export { momentumStep } from "./momentum";

/** Bytes of scratch the gemm for (transA, transB) needs at this size. */
export function gemmScratchBytes(transA: bool, transB: bool, m: i32, n: i32, k: i32): usize {
  if (!transB) return outerScratchBytes(transA, m, n, k);
  return transA ? (<usize>m * <usize>k) << 3 : 0;
}

/** First byte past the module's static data: the host keeps its buffers above this. */
export function heapBase(): usize {
  return __heap_base;
}
