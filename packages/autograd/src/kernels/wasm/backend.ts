import type { Backend } from "../backend.js";
import { momentumStepPlain, type MomentumRule } from "../momentum.js";
import { gemmPlain } from "../plain.js";
import { standardizeBytesPlain } from "../standardize.js";
import { RowGather } from "./gather.js";
import { alignUp } from "./regions.js";
import { Scratch } from "./scratch.js";
import type { WasmRuntime } from "./runtime.js";

function requireLength(what: string, x: Float64Array, length: number): void {
  if (x.length < length) throw new RangeError(`wasm kernels: ${what} has ${x.length} elements, needs ${length}`);
}

/**
 * The Backend on the f64x2 kernels. Operands already in wasm memory (views from a `WasmArena`) are
 * used in place; others are copied into scratch, and C is copied back. If the memory cannot hold
 * the scratch a call needs, that call runs on the plain kernels (with one warning).
 */
const MOMENTUM_RULES: Record<MomentumRule, number> = { report: 0, pytorch: 1, nesterov: 2 };

export function createWasmBackend(runtime: WasmRuntime): Backend {
  const { kernels, heap } = runtime;
  const scratch = new Scratch(runtime.regions);
  const gather = new RowGather(runtime.memory.buffer);
  let cursor = 0;
  let warned = false;

  const inside = (x: Float64Array): boolean => x.buffer === heap.buffer;
  const bytes = (x: Float64Array, length: number): number => (inside(x) ? 0 : alignUp(length * 8));

  function take(length: number): number {
    return takeBytes(length * 8);
  }

  function takeBytes(count: number): number {
    const at = cursor;
    cursor += alignUp(count);
    return at;
  }

  function place(x: Float64Array, length: number): number {
    if (inside(x)) return x.byteOffset;
    const at = take(length);
    heap.set(x.length === length ? x : x.subarray(0, length), at >>> 3);
    return at;
  }

  function begin(need: number): boolean {
    const start = scratch.ensure(need);
    if (start === null) {
      if (!warned) {
        warned = true;
        process.emitWarning(
          `gradspec: wasm memory has no room for ${need} bytes of kernel scratch; large products fall back to the plain kernels`,
        );
      }
      return false;
    }
    cursor = start;
    return true;
  }

  function copyBack(c: Float64Array, at: number, length: number): void {
    if (!inside(c)) c.set(heap.subarray(at >>> 3, (at >>> 3) + length));
  }

  return {
    name: "wasm",
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
      const need = bytes(a, sizeA) + bytes(b, sizeB) + bytes(c, sizeC) + alignUp(work);
      if (!begin(need)) {
        gemmPlain(transA, transB, m, n, k, a, b, c, accumulate);
        return;
      }
      const pa = place(a, sizeA);
      const pb = place(b, sizeB);
      const pc = inside(c) ? c.byteOffset : accumulate ? place(c, sizeC) : take(sizeC);
      const pw = cursor;
      const flag = accumulate ? 1 : 0;
      if (transB) {
        if (transA) kernels.gemmTT(pa, pb, pc, m, n, k, flag, pw);
        else kernels.gemmNT(pa, pb, pc, m, n, k, flag);
      } else if (transA) kernels.gemmTN(pa, pb, pc, m, n, k, flag, pw);
      else kernels.gemmNN(pa, pb, pc, m, n, k, flag, pw);
      copyBack(c, pc, sizeC);
    },
    standardizeBytes(src, rows, dim, mean, std, out) {
      const n = rows.length;
      requireLength("mean", mean, dim);
      requireLength("std", std, dim);
      requireLength("out", out, n * dim);
      if (n === 0 || dim === 0) return;
      if (!begin(alignUp(n * dim) + bytes(mean, dim) + bytes(std, dim) + bytes(out, n * dim))) {
        standardizeBytesPlain(src, rows, dim, mean, std, out);
        return;
      }
      const ps = takeBytes(n * dim);
      gather.copy(src, rows, dim, ps);
      const pm = place(mean, dim);
      const pd = place(std, dim);
      const po = inside(out) ? out.byteOffset : take(n * dim);
      kernels.standardizeBytes(ps, n, dim, pm, pd, po);
      copyBack(out, po, n * dim);
    },
    momentumStep(rule, theta, grad, v, eta, rho, decay) {
      const n = theta.length;
      requireLength("grad", grad, n);
      requireLength("velocity", v, n);
      // Copying θ and v in and out would cost more than the update: only buffers already in wasm
      // memory (parameters made resident by the training loop) run here.
      if (!inside(theta) || !inside(grad) || !inside(v)) {
        momentumStepPlain(rule, theta, grad, v, eta, rho, decay);
        return;
      }
      kernels.momentumStep(MOMENTUM_RULES[rule], theta.byteOffset, grad.byteOffset, v.byteOffset, n, eta, rho, decay);
    },
  };
}
