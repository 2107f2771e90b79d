import type { Backend } from "../backend.js";
import { gemmPlain } from "../plain.js";
import { alignUp } from "./regions.js";
import type { Staging } from "./staging.js";
import type { WasmRuntime } from "./runtime.js";
import { createWasmStorage } from "./storage.js";

export function requireLength(what: string, x: ArrayLike<number>, length: number): void {
  if (x.length < length) throw new RangeError(`wasm kernels: ${what} has ${x.length} elements, needs ${length}`);
}

/**
 * The Backend on the f64x2 kernels. Tensors it allocates live in the wasm memory, where the kernels
 * use them in place; other operands are copied into scratch, and C is copied back. If the memory
 * cannot hold the scratch a call needs, that call runs on the plain kernels (with one warning).
 */
export function createWasmBackend(runtime: WasmRuntime, staging: Staging): Backend {
  const { kernels } = runtime;
  return {
    name: "wasm",
    storage: createWasmStorage(runtime),
    gemm(transA, transB, m, n, k, a, b, c, accumulate) {
      const sizeA = m * k;
      const sizeB = k * n;
      const sizeC = m * n;
      requireLength("A", a, sizeA);
      requireLength("B", b, sizeB);
      requireLength("C", c, sizeC);
      if (sizeC === 0) return;
      if (k === 0) {
        if (!accumulate) c.fill(0, 0, sizeC);
        return;
      }
      const work = kernels.gemmScratchBytes(transA ? 1 : 0, transB ? 1 : 0, m, n, k);
      const need = staging.bytes(a, sizeA) + staging.bytes(b, sizeB) + staging.bytes(c, sizeC) + alignUp(work);
      if (!staging.begin(need)) {
        gemmPlain(transA, transB, m, n, k, a, b, c, accumulate);
        return;
      }
      const pa = staging.place(a, sizeA);
      const pb = staging.place(b, sizeB);
      const pc = accumulate ? staging.place(c, sizeC) : staging.output(c, sizeC);
      const pw = staging.position;
      const flag = accumulate ? 1 : 0;
      if (transB) {
        if (transA) kernels.gemmTT(pa, pb, pc, m, n, k, flag, pw);
        else kernels.gemmNT(pa, pb, pc, m, n, k, flag);
      } else if (transA) kernels.gemmTN(pa, pb, pc, m, n, k, flag, pw);
      else kernels.gemmNN(pa, pb, pc, m, n, k, flag, pw);
      staging.copyBack(c, pc, sizeC);
    },
  };
}
