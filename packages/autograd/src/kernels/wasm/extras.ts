import { RowGather } from "./gather.js";
import { alignUp } from "./regions.js";
import type { WasmRuntime } from "./runtime.js";
import type { Staging } from "./staging.js";

/**
 * The wasm module's kernels beyond the Backend's, for packages above to register under their kernel
 * names: each returns false, having done nothing, when it cannot run (operands outside the wasm
 * memory, no room for scratch), and the caller then runs its plain kernel.
 */
export interface WasmExtras {
  /**
   * One SGD-with-momentum update of θ and v in place (`rule`: 0 = v ← ρv + η∇, θ ← θ − v;
   * 1 = v ← ρv + ∇, θ ← θ − ηv; 2 = as 1 but θ ← θ − η(∇ + ρv)); `decay` λ > 0 adds (λθ)·2 to ∇.
   * Runs only when θ, ∇ and v are all in the wasm memory: copying them would cost more than the update.
   */
  momentumStep(rule: number, theta: Float64Array, grad: Float64Array, v: Float64Array, eta: number, rho: number, decay: number): boolean;
  /** out[r·dim + j] = (src[rows[r]·dim + j] − mean[j]) / std[j], rows gathered into scratch first. */
  standardizeBytes(src: Uint8Array, rows: Int32Array, dim: number, mean: Float64Array, std: Float64Array, out: Float64Array): boolean;
}

export function createWasmExtras(runtime: WasmRuntime, staging: Staging): WasmExtras {
  const { kernels } = runtime;
  const gather = new RowGather(runtime.memory.buffer);
  return {
    momentumStep(rule, theta, grad, v, eta, rho, decay) {
      if (!staging.inside(theta) || !staging.inside(grad) || !staging.inside(v)) return false;
      const n = theta.length;
      if (grad.length < n || v.length < n) throw new RangeError(`wasm kernels: momentumStep needs ∇ and v of θ's length ${n}`);
      kernels.momentumStep(rule, theta.byteOffset, grad.byteOffset, v.byteOffset, n, eta, rho, decay);
      return true;
    },
    standardizeBytes(src, rows, dim, mean, std, out) {
      const n = rows.length;
      if (mean.length < dim || std.length < dim || out.length < n * dim) throw new RangeError(`wasm kernels: standardizeBytes needs mean and std of ${dim} and out of ${n * dim} elements`);
      if (n === 0 || dim === 0) return true;
      if (!staging.begin(alignUp(n * dim) + staging.bytes(mean, dim) + staging.bytes(std, dim) + staging.bytes(out, n * dim))) return false;
      const ps = staging.takeBytes(n * dim);
      gather.copy(src, rows, dim, ps);
      const pm = staging.place(mean, dim);
      const pd = staging.place(std, dim);
      const po = staging.output(out, n * dim);
      kernels.standardizeBytes(ps, n, dim, pm, pd, po);
      staging.copyBack(out, po, n * dim);
      return true;
    },
  };
}
