import type { Backend } from "./backend.js";
import { heapStorage } from "./heap-storage.js";

/** C = op(A)·op(B) with plain loops ordered for unit-stride inner access. Allocates nothing. */
export function gemmPlain(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  accumulate: boolean,
): void {
  if (!accumulate) c.fill(0, 0, m * n);
  if (!transA && !transB) {
    for (let i = 0; i < m; i++) {
      const rowC = i * n;
      const rowA = i * k;
      for (let p = 0; p < k; p++) {
        const aip = a[rowA + p];
        const rowB = p * n;
        for (let j = 0; j < n; j++) c[rowC + j] += aip * b[rowB + j];
      }
    }
  } else if (transA && !transB) {
    for (let p = 0; p < k; p++) {
      const rowA = p * m;
      const rowB = p * n;
      for (let i = 0; i < m; i++) {
        const api = a[rowA + i];
        const rowC = i * n;
        for (let j = 0; j < n; j++) c[rowC + j] += api * b[rowB + j];
      }
    }
  } else if (!transA && transB) {
    for (let i = 0; i < m; i++) {
      const rowA = i * k;
      const rowC = i * n;
      for (let j = 0; j < n; j++) {
        const rowB = j * k;
        let dot = 0;
        for (let p = 0; p < k; p++) dot += a[rowA + p] * b[rowB + p];
        c[rowC + j] += dot;
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      const rowC = i * n;
      for (let j = 0; j < n; j++) {
        const rowB = j * k;
        let dot = 0;
        for (let p = 0; p < k; p++) dot += a[p * m + i] * b[rowB + p];
        c[rowC + j] += dot;
      }
    }
  }
}

export const plainBackend = {
  name: "plain",
  gemm: gemmPlain,
  storage: heapStorage,
} satisfies Backend;
