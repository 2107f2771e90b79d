import { afterEach, describe, expect, it } from "vitest";
import {
  Rng,
  gemmPlain,
  kernel,
  kernelBackends,
  plainBackend,
  selectBackend,
  setBackend,
  type Backend,
} from "@gradspec/autograd";
import { MOMENTUM_KERNEL, momentumStepPlain, type MomentumRule } from "@gradspec/nn";
import { STANDARDIZE_BYTES_KERNEL, standardizeBytesPlain } from "../packages/runner/src/data/standardize-kernel.js";
import { BINARY, UNARY, binaryBroadcast, reluBackward, sumToShape, unaryMap } from "../packages/autograd/src/kernels/elementwise.js";
import {
  BINARY_KERNEL,
  MEAN_BACKWARD_KERNEL,
  MOMENTS_KERNEL,
  RELU_BACKWARD_KERNEL,
  SUM_TO_SHAPE_KERNEL,
  UNARY_KERNEL,
  VARIANCE_BACKWARD_KERNEL,
} from "../packages/autograd/src/kernels/elementwise-kernels.js";
import { columnMoments, meanBackward, varianceBackward } from "../packages/autograd/src/kernels/moments.js";
import { fastBackends } from "./helpers/backends.js";

// Every backend's kernels against the plain reference: products within the rounding bound of any
// summation order (1e-12 of Σ|a||b|), everything elementwise bit for bit.

afterEach(() => {
  setBackend(plainBackend);
});

function randomArray(length: number, rng: Rng): Float64Array {
  return Float64Array.from({ length }, () => rng.normal());
}

/** The largest |c − c_ref| / (|c₀| + Σ_p |op(A)_ip|·|op(B)_pj|) over C (every 7th row of a large C). */
function gemmError(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c0: Float64Array, actual: Float64Array, expected: Float64Array): number {
  let worst = 0;
  const rowStep = m * n > 10_000 ? 7 : 1;
  for (let i = 0; i < m; i += rowStep) {
    for (let j = 0; j < n; j++) {
      let scale = Math.abs(c0[i * n + j]);
      for (let p = 0; p < k; p++) scale += Math.abs(transA ? a[p * m + i] : a[i * k + p]) * Math.abs(transB ? b[j * k + p] : b[p * n + j]);
      const error = Math.abs(actual[i * n + j] - expected[i * n + j]) / (scale === 0 ? 1 : scale);
      worst = Math.max(worst, error);
    }
  }
  return worst;
}

function expectSameBits(actual: Float64Array, expected: Float64Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) throw new Error(`${what}: element ${i} is ${actual[i]}, the plain kernels give ${expected[i]}`);
  }
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [17, 9, 33],
  [100, 50, 3072],
  [3072, 50, 100],
  [100, 3072, 50],
  [100, 30, 50],
  [100, 10, 30],
];

for (const kernels of fastBackends()) {
  describe.skipIf(kernels.backend === null)(`${kernels.name} kernels against plain`, () => {
    const backend = kernels.backend as Backend;

    it("gemm in all four transpose cases, with and without accumulate, within 1e-12 of Σ|a||b|", () => {
      const rng = new Rng(1);
      for (const [m, n, k] of SHAPES) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            // Large shapes once per transpose case (accumulating in half of them), small ones both ways.
            for (const accumulate of m * n * k > 100_000 ? [transA !== transB] : [false, true]) {
              const a = randomArray(m * k, rng);
              const b = randomArray(k * n, rng);
              const c0 = randomArray(m * n, rng);
              const expected = Float64Array.from(c0);
              const actual = Float64Array.from(c0);
              gemmPlain(transA, transB, m, n, k, a, b, expected, accumulate);
              backend.gemm(transA, transB, m, n, k, a, b, actual, accumulate);
              const error = gemmError(transA, transB, m, n, k, a, b, accumulate ? c0 : new Float64Array(m * n), actual, expected);
              expect(error, `${m}×${n}×${k} transA=${transA} transB=${transB} accumulate=${accumulate}`).toBeLessThanOrEqual(1e-12);
            }
          }
        }
      }
    });

    it("gemm with k = 0 gives zeros or leaves C; a short buffer is an error, not a read past it", () => {
      const c = Float64Array.of(1, 2, 3, 4);
      backend.gemm(false, false, 2, 2, 0, new Float64Array(0), new Float64Array(0), c, true);
      expect(Array.from(c)).toEqual([1, 2, 3, 4]);
      backend.gemm(false, false, 2, 2, 0, new Float64Array(0), new Float64Array(0), c, false);
      expect(Array.from(c)).toEqual([0, 0, 0, 0]);
      expect(() => backend.gemm(false, false, 2, 2, 3, new Float64Array(5), new Float64Array(6), c, false)).toThrow(RangeError);
    });

    it("gemm reads operands through subarray views in place", () => {
      const rng = new Rng(2);
      const big = randomArray(200, rng);
      const a = big.subarray(3, 3 + 12);
      const b = big.subarray(50, 50 + 20);
      const expected = new Float64Array(15);
      const actual = new Float64Array(30).subarray(7, 22);
      gemmPlain(true, false, 3, 5, 4, a, b, expected, false);
      backend.gemm(true, false, 3, 5, 4, a, b, actual, false);
      expect(gemmError(true, false, 3, 5, 4, a, b, new Float64Array(15), actual, expected)).toBeLessThanOrEqual(1e-12);
    });

    it("elementwise kernels (every broadcast fast path, sums to a shape, unary ops, ReLU's VJP) bit for bit, special values included", () => {
      const rng = new Rng(6);
      const special = [0, -0, Number.NaN, Infinity, -Infinity, 1e-310, -1e308];
      const draw = (length: number): Float64Array => {
        const x = randomArray(length, rng);
        for (let i = 0; i < special.length && i < length; i++) x[(i * 37) % length] = special[i];
        return x;
      };
      setBackend(backend);
      const [rows, cols] = [100, 50];
      const n = rows * cols;
      const shapes: [number[], number[]][] = [
        [[rows, cols], [rows, cols]],
        [[rows, cols], [cols]],
        [[cols], [rows, cols]],
        [[rows, cols], []],
        [[], [rows, cols]],
        [[rows, cols], [1, cols]],
        [[rows, cols], [rows, 1]],
      ];
      for (const op of Object.values(BINARY)) {
        for (const [aShape, bShape] of shapes) {
          const a = draw(aShape.reduce((p, d) => p * d, 1));
          const b = draw(bShape.reduce((p, d) => p * d, 1));
          const expected = new Float64Array(n);
          const actual = new Float64Array(n);
          binaryBroadcast(op, a, aShape, b, bShape, expected, [rows, cols]);
          kernel(BINARY_KERNEL)(op, a, aShape, b, bShape, actual, [rows, cols]);
          expectSameBits(actual, expected, `binary ${op} [${aShape}] ∘ [${bShape}]`);
        }
      }
      for (const targetShape of [[rows, cols], [cols], [1, cols], [], [1], [rows, 1]]) {
        const grad = draw(n);
        const start = draw(targetShape.reduce((p, d) => p * d, 1));
        const [expected, actual] = [Float64Array.from(start), Float64Array.from(start)];
        sumToShape(grad, [rows, cols], expected, targetShape);
        kernel(SUM_TO_SHAPE_KERNEL)(grad, [rows, cols], actual, targetShape);
        expectSameBits(actual, expected, `sumToShape → [${targetShape}]`);
      }
      for (const op of Object.values(UNARY)) {
        const x = draw(n);
        const [expected, actual] = [new Float64Array(n), new Float64Array(n)];
        unaryMap(op, x, expected);
        kernel(UNARY_KERNEL)(op, x, actual);
        expectSameBits(actual, expected, `unary ${op}`);
      }
      const [x, dy] = [draw(n), draw(n)];
      const [expected, actual] = [new Float64Array(n), new Float64Array(n)];
      reluBackward(x, dy, expected);
      kernel(RELU_BACKWARD_KERNEL)(x, dy, actual);
      expectSameBits(actual, expected, "reluBackward");
    });

    it("batch statistics (moments and their VJPs) bit for bit", () => {
      const rng = new Rng(7);
      setBackend(backend);
      for (const [rows, cols] of [[100, 50], [100, 30], [7, 3], [1000, 1]]) {
        const x = randomArray(rows * cols, rng);
        const d = randomArray(cols, rng);
        const [mean0, var0, mean1, var1] = [new Float64Array(cols), new Float64Array(cols), new Float64Array(cols), new Float64Array(cols)];
        columnMoments(x, rows, cols, mean0, var0);
        kernel(MOMENTS_KERNEL)(x, rows, cols, mean1, var1);
        expectSameBits(mean1, mean0, `mean ${rows}×${cols}`);
        expectSameBits(var1, var0, `variance ${rows}×${cols}`);
        const [g0, g1] = [new Float64Array(rows * cols), new Float64Array(rows * cols)];
        meanBackward(rows, cols, d, g0);
        kernel(MEAN_BACKWARD_KERNEL)(rows, cols, d, g1);
        expectSameBits(g1, g0, `mean VJP ${rows}×${cols}`);
        varianceBackward(x, rows, cols, mean0, d, g0);
        kernel(VARIANCE_BACKWARD_KERNEL)(x, rows, cols, mean0, d, g1);
        expectSameBits(g1, g0, `variance VJP ${rows}×${cols}`);
      }
    });

    it("the registered kernels have an implementation of their own on this backend", () => {
      expect(kernelBackends(MOMENTUM_KERNEL)).toContain(kernels.name);
      expect(kernelBackends(STANDARDIZE_BYTES_KERNEL)).toContain(kernels.name);
    });

    it("standardizeBytes bit for bit, into the heap and into the backend's own storage", () => {
      const rng = new Rng(4);
      const dim = 37;
      const src = Uint8Array.from({ length: 50 * dim }, () => rng.int(256));
      const rows = Int32Array.from({ length: 23 }, () => rng.int(50));
      const mean = Float64Array.from({ length: dim }, () => 100 + 20 * rng.normal());
      const std = Float64Array.from({ length: dim }, () => 40 + rng.uniformIn(0, 20));
      const expected = new Float64Array(rows.length * dim);
      standardizeBytesPlain(src, rows, dim, mean, std, expected);
      setBackend(backend);
      const standardize = kernel(STANDARDIZE_BYTES_KERNEL);
      for (const actual of [new Float64Array(rows.length * dim), backend.storage.allocate(rows.length * dim, false)]) {
        standardize(src, rows, dim, mean, std, actual);
        expectSameBits(actual, expected, "standardizeBytes");
      }
    });

    it("momentumStep bit for bit for every rule, with and without decay, on the backend's own storage", () => {
      const rng = new Rng(5);
      setBackend(backend);
      const update = kernel(MOMENTUM_KERNEL);
      const own = (x: Float64Array): Float64Array => {
        const copy = backend.storage.allocate(x.length, false);
        copy.set(x);
        return copy;
      };
      for (const rule of ["report", "pytorch", "nesterov"] as MomentumRule[]) {
        for (const decay of [0, 0.01]) {
          // Long enough that the wasm backend places them in its memory, where its kernel runs.
          const theta = randomArray(3001, rng);
          theta[0] = -0;
          const grad = randomArray(3001, rng);
          const v = randomArray(3001, rng);
          const [t1, g1, v1] = [own(theta), own(grad), own(v)];
          momentumStepPlain(rule, theta, grad, v, 0.05, 0.9, decay);
          update(rule, t1, g1, v1, 0.05, 0.9, decay);
          expectSameBits(t1, theta, `θ (${rule}, λ = ${decay})`);
          expectSameBits(v1, v, `v (${rule}, λ = ${decay})`);
        }
      }
    });

    it(`GRADSPEC_KERNELS=${kernels.name} selects it`, () => {
      expect(selectBackend(kernels.name).backend).toBe(backend);
    });
  });
}

describe("kernel selection", () => {
  it("defaults to the fastest backend that loads: native, then wasm, then plain", () => {
    const [wasm, native] = fastBackends();
    const expected = native.backend ?? wasm.backend ?? plainBackend;
    expect(selectBackend("").backend).toBe(expected);
  });
  it("a backend that cannot load, forced, is one error saying why", () => {
    const [, native] = fastBackends();
    if (native.backend === null) expect(() => selectBackend("native")).toThrow(/GRADSPEC_KERNELS=native but the native kernels cannot load: /);
    expect(() => selectBackend("gpu")).toThrow(/must be "plain", "wasm" or "native"/);
  });
});
