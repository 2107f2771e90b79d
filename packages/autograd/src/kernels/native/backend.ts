import type { Backend } from "../backend.js";
import { heapStorage } from "../heap-storage.js";
import type { NativeAddon } from "./addon.js";

/**
 * The Backend on the native addon: OpenBLAS's dgemm reads every operand in place (transposes as
 * CblasTrans, no copies), wherever the Float64Array lives, so tensors stay on the JS heap. The
 * products agree with the plain kernels within rounding.
 */
export function createNativeBackend(addon: NativeAddon): Backend {
  return {
    name: "native",
    storage: heapStorage,
    gemm: (transA, transB, m, n, k, a, b, c, accumulate) => addon.gemm(transA, transB, m, n, k, a, b, c, accumulate),
  };
}
