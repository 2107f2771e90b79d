import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Rng,
  Tensor,
  gradcheck,
  gradcheckInWorkers,
  plainBackend,
  setBackend,
  square,
  sum,
  sumSquares,
  sumSquaresAll,
  valueAndGrad,
  type Backend,
} from "@gradspec/autograd";
import { PairwiseSquares } from "../packages/autograd/src/kernels/pairwise-squares.js";
import { Reuse } from "../packages/autograd/src/gradcheck/reuse.js";
import { gemmPlain } from "../packages/autograd/src/kernels/plain.js";
import { gradcheckProblem } from "./helpers/gradcheck-problem.js";

const problemModule = { module: new URL("./helpers/gradcheck-problem.ts", import.meta.url) };

/** The plain kernels, counting products by their inner dimension. */
function countingBackend(): { backend: Backend; productsWithInner: (k: number) => number } {
  const counts = new Map<number, number>();
  const backend: Backend = {
    ...plainBackend,
    name: "counting",
    gemm(transA, transB, m, n, k, a, b, c, accumulate) {
      counts.set(k, (counts.get(k) ?? 0) + 1);
      plainBackend.gemm(transA, transB, m, n, k, a, b, c, accumulate);
    },
  };
  return { backend, productsWithInner: (k) => counts.get(k) ?? 0 };
}

describe("every-element gradient check with reuse", () => {
  it("gives the same relative-error tables as evaluating in full", () => {
    const { f, params } = gradcheckProblem();
    const full = gradcheck(f, params, { reuse: false });
    const fast = gradcheck(f, params, { reuse: true });
    expect(fast.parameters.map((p) => p.name)).toEqual(full.parameters.map((p) => p.name));
    for (const [i, slow] of full.parameters.entries()) {
      const quick = fast.parameters[i];
      expect(quick.count).toBe(slow.count);
      expect(quick.worstAnalytic).toBe(slow.worstAnalytic);
      // The numerical derivatives differ only by the rounding of the products (~1e-16 relative of
      // f, divided by 2h): far below the errors the tables report.
      expect(Math.abs(quick.worstNumeric - slow.worstNumeric)).toBeLessThan(1e-9);
      expect(Math.abs(quick.max - slow.max)).toBeLessThan(1e-8);
      expect(Math.abs(quick.mean - slow.mean)).toBeLessThan(1e-9);
      expect(quick.max).toBeLessThan(1e-5);
    }
  });

  it("finds a wrong gradient as the full method does (the check can fail)", () => {
    const { f, params } = gradcheckProblem();
    // f with its W2 contribution doubled in the forward pass but not in the tape's gradient.
    const wrong = (p: typeof params): Tensor => {
      const value = f(p);
      const extra = sumSquares(p.W2);
      return new Tensor(Float64Array.of(value.item() + 0.5 * extra.item()), []);
    };
    const report = gradcheck(wrong, params, { only: ["W2"], reuse: true });
    expect(report.parameters[0].max).toBeGreaterThan(1e-2);
  });

  it("takes the first layer's product from the record instead of recomputing it per element", () => {
    const { f, params } = gradcheckProblem();
    const d = params.W1.shape[0];
    for (const reuse of [false, true]) {
      const counting = countingBackend();
      const previous = setBackend(counting.backend);
      try {
        gradcheck(f, params, { reuse, only: ["W1"] });
      } finally {
        setBackend(previous);
      }
      const elements = params.W1.size;
      // valueAndGrad's forward and backward, the recording, then one per evaluation without reuse.
      if (reuse) expect(counting.productsWithInner(d)).toBeLessThanOrEqual(3);
      else expect(counting.productsWithInner(d)).toBeGreaterThanOrEqual(2 * elements);
    }
  });

  it("restores every parameter exactly", () => {
    const { f, params } = gradcheckProblem();
    const before = Object.fromEntries(Object.entries(params).map(([k, t]) => [k, Float64Array.from(t.data)]));
    gradcheck(f, params, { reuse: true });
    for (const [k, t] of Object.entries(params)) expect(t.data).toEqual(before[k]);
  });

  it("on worker threads gives the same report as in this thread", async () => {
    const { f, params } = gradcheckProblem();
    const here = gradcheck(f, params, { reuse: true, sample: 200, seed: 3 });
    const there = await gradcheckInWorkers(problemModule, { reuse: true, sample: 200, seed: 3, workers: 2 });
    expect(there).toEqual(here);
  });

  it("a problem module without the export is one clear error", async () => {
    await expect(gradcheckInWorkers({ ...problemModule, exportName: "nothing" }, { workers: 2 })).rejects.toThrow(/has no function export "nothing"/);
  });
});

describe("a recorded product after one operand element moved", () => {
  it("is the full product of the moved operands, for every transpose and either operand", () => {
    const rng = new Rng(9);
    const [m, n, k] = [5, 4, 3];
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const movedIsA of [false, true]) {
          const a = Tensor.randn(transA ? [k, m] : [m, k], rng);
          const b = Tensor.randn(transB ? [n, k] : [k, n], rng);
          const reuse = new Reuse();
          reuse.product(a, b, transA, transB, m, n, k, new Float64Array(m * n));
          reuse.finishRecording();
          const moved = movedIsA ? a : b;
          for (let offset = 0; offset < moved.size; offset++) {
            const original = moved.data[offset];
            moved.data[offset] = original + 0.25;
            reuse.beginEvaluation(moved, offset, original);
            const fast = new Float64Array(m * n);
            reuse.product(a, b, transA, transB, m, n, k, fast);
            const full = new Float64Array(m * n);
            gemmPlain(transA, transB, m, n, k, a.data, b.data, full, false);
            moved.data[offset] = original;
            for (let i = 0; i < full.length; i++) expect(Math.abs(fast[i] - full[i]), `transA=${transA} transB=${transB} A moved=${movedIsA} at ${offset}`).toBeLessThan(1e-12);
          }
        }
      }
    }
  });
});

describe("sumSquares", () => {
  it("is sum(square(x)) bit for bit, value and gradient", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 1000 }), (size, seed) => {
        const x = Tensor.randn([size], new Rng(seed));
        const a = valueAndGrad((p: { x: Tensor }) => sumSquares(p.x))({ x });
        const b = valueAndGrad((p: { x: Tensor }) => sum(square(p.x)))({ x });
        expect(a.value.item()).toBe(b.value.item());
        expect(a.grads.x.data).toEqual(b.grads.x.data);
      }),
      { numRuns: 30 },
    );
  });

  it("its pairwise tree redone along one path is the full sum bit for bit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.nat(), fc.double({ min: -1, max: 1, noNaN: true }), (size, at, delta) => {
        const x = Tensor.randn([size], new Rng(size)).data;
        const tree = new PairwiseSquares(x);
        expect(tree.total).toBe(sumSquaresAll(x));
        const offset = at % size;
        x[offset] += delta;
        expect(tree.totalWith(x, offset)).toBe(sumSquaresAll(x));
      }),
      { numRuns: 60 },
    );
  });
});
