/**
 * The swappable numeric core. Every matrix product and row reduction in the engine goes through the
 * active backend; the plain TypeScript one is the reference and is always available.
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
  /**
   * out[r·dim + j] = (src[rows[r]·dim + j] − mean[j]) / std[j] for r < rows.length, j < dim: a mini-batch
   * of byte rows (images) standardized into float64. Indices are not checked. Optional: without it,
   * callers use `plainBackend.standardizeBytes`, and every implementation must give its exact rows.
   */
  standardizeBytes?(src: Uint8Array, rows: Int32Array, dim: number, mean: Float64Array, std: Float64Array, out: Float64Array): void;
  /**
   * One SGD-with-momentum update of θ and v in place (see `MomentumRule`); θ, ∇ and v have θ's length.
   * `decay` λ > 0 adds the L2 penalty's gradient (λ·θ)·2 to ∇ first. Optional: without it, callers
   * use `plainBackend.momentumStep`, whose exact results every implementation must give.
   */
  momentumStep?(rule: MomentumRule, theta: Float64Array, grad: Float64Array, v: Float64Array, eta: number, rho: number, decay: number): void;
}

import type { MomentumRule } from "./momentum.js";
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
