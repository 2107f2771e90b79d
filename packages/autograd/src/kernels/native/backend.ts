import type { Backend } from "../backend.js";
import type { MomentumRule } from "../momentum.js";
import type { NativeAddon } from "./addon.js";

const MOMENTUM_RULES: Record<MomentumRule, number> = { report: 0, pytorch: 1, nesterov: 2 };

/**
 * The Backend on the native addon: OpenBLAS's dgemm reads every operand in place (transposes as
 * CblasTrans, no copies), wherever the Float64Array lives. Elementwise kernels give the plain ones'
 * results bit for bit; the products agree with them within rounding.
 */
export function createNativeBackend(addon: NativeAddon): Backend {
  return {
    name: "native",
    gemm: (transA, transB, m, n, k, a, b, c, accumulate) => addon.gemm(transA, transB, m, n, k, a, b, c, accumulate),
    standardizeBytes: (src, rows, dim, mean, std, out) => addon.standardizeBytes(src, rows, dim, mean, std, out),
    momentumStep: (rule, theta, grad, v, eta, rho, decay) => {
      if (grad.length < theta.length || v.length < theta.length) throw new RangeError(`native kernels: momentumStep needs ∇ and v of θ's length ${theta.length}`);
      addon.momentumStep(MOMENTUM_RULES[rule], theta, grad, v, eta, rho, decay);
    },
  };
}
