import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Rng,
  Tensor,
  add,
  affine,
  div,
  exp,
  log,
  logSoftmax,
  matmul,
  max,
  mean,
  moments,
  mul,
  neg,
  pow,
  relu,
  reshape,
  sigmoid,
  tanh,
  softmax,
  softmaxCrossEntropy,
  sqrt,
  square,
  sub,
  sum,
  sumSquares,
  transpose,
  setBackend,
  type Backend,
} from "@gradspec/autograd";
import { anyTensorArb, checkGradients, shapeArb, tensorArb } from "@gradspec/nn/testing";
import { crossEntropyRows } from "../packages/autograd/src/kernels/softmax.js";

import { testBackends } from "./helpers/backends.js";
const runs = { numRuns: 40 };

/** A shape and a second shape that broadcasts against it (some dims set to 1, leading dims dropped). */
const broadcastPairArb = shapeArb({ minRank: 1, maxRank: 3 }).chain((shape) =>
  fc
    .tuple(fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }), fc.nat(shape.length), fc.boolean())
    .map(([ones, drop, swap]) => {
      const other = shape.map((d, i) => (ones[i] ? 1 : d)).slice(Math.min(drop, shape.length - 1));
      return swap ? [other, shape] : [shape, other];
    }),
);

// Every op's properties on every backend: a backend's kernels must not change what the ops compute.
for (const kernels of testBackends()) {
  describe.skipIf(kernels.backend === null)(`on the ${kernels.name} kernels`, () => {
    let previous: Backend;
    beforeAll(() => {
      previous = setBackend(kernels.backend as Backend);
    });
    afterAll(() => {
      setBackend(previous);
    });

  describe("binary ops with broadcasting match centered differences", () => {
    const cases = [
      ["add", add],
      ["sub", sub],
      ["mul", mul],
    ] as const;
    for (const [name, op] of cases) {
      it(name, () => {
        fc.assert(
          fc.property(
            broadcastPairArb.chain(([sa, sb]) => fc.tuple(tensorArb(sa), tensorArb(sb))),
            ([a, b]) => {
              checkGradients((p) => op(p.a, p.b), { a, b });
            },
          ),
          runs,
        );
      });
    }
    it("div (denominator kept away from zero)", () => {
      fc.assert(
        fc.property(
          broadcastPairArb.chain(([sa, sb]) => fc.tuple(tensorArb(sa), tensorArb(sb, { awayFromZero: 0.5 }))),
          ([a, b]) => {
            checkGradients((p) => div(p.a, p.b), { a, b });
          },
        ),
        runs,
      );
    });
    it("scalar operands get no gradient and do not break the check", () => {
      fc.assert(
        fc.property(anyTensorArb(), fc.double({ min: -3, max: 3, noNaN: true }), (a, c) => {
          checkGradients((p) => add(mul(p.a, c), sub(c, p.a)), { a });
        }),
        runs,
      );
    });
  });

  describe("unary ops match centered differences", () => {
    const cases: [string, (x: Tensor) => Tensor, Parameters<typeof anyTensorArb>[1]][] = [
      ["neg", neg, {}],
      ["exp", exp, {}],
      ["log", log, { positive: true, awayFromZero: 0.2 }],
      ["sqrt", sqrt, { positive: true, awayFromZero: 0.2 }],
      ["square", square, {}],
      // Off zero: there the gradient 3x² vanishes while the centered difference keeps its h² truncation term.
      ["pow 3", (x) => pow(x, 3), { awayFromZero: 0.3 }],
      ["pow -1.5", (x) => pow(x, -1.5), { positive: true, awayFromZero: 0.3 }],
      ["relu (off the kink)", relu, { awayFromZero: 0.01 }],
      ["affine", (x) => affine(x, -1.7, 0.3), {}],
      ["tanh", tanh, {}],
      ["sigmoid", sigmoid, { min: -6, max: 6 }],
    ];
    for (const [name, op, values] of cases) {
      it(name, () => {
        fc.assert(
          fc.property(anyTensorArb({}, values), (x) => {
            checkGradients((p) => op(p.x), { x });
          }),
          runs,
        );
      });
    }
  });

  describe("linear algebra and shape ops match centered differences", () => {
    it("matmul in all four transpose cases", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 1, max: 6 }),
          fc.boolean(),
          fc.boolean(),
          (m, n, k, transA, transB) => {
            const sa = transA ? [k, m] : [m, k];
            const sb = transB ? [n, k] : [k, n];
            fc.assert(
              fc.property(tensorArb(sa), tensorArb(sb), (a, b) => {
                const out = matmul(a, b, { transA, transB });
                expect(out.shape).toEqual([m, n]);
                checkGradients((p) => matmul(p.a, p.b, { transA, transB }), { a, b });
              }),
              { numRuns: 2 },
            );
          },
        ),
        runs,
      );
    });
    it("transpose", () => {
      fc.assert(
        fc.property(anyTensorArb({ minRank: 2, maxRank: 2 }), (x) => {
          checkGradients((p) => transpose(p.x), { x });
        }),
        runs,
      );
    });
    it("reshape", () => {
      fc.assert(
        fc.property(anyTensorArb(), (x) => {
          checkGradients((p) => reshape(p.x, [-1]), { x });
          checkGradients((p) => reshape(p.x, [1, x.size]), { x });
        }),
        runs,
      );
    });
  });

  describe("reductions match centered differences", () => {
    const axisCase = anyTensorArb({ minRank: 1, maxRank: 4 }).chain((x) =>
      fc.tuple(fc.constant(x), fc.integer({ min: -x.rank, max: x.rank - 1 }), fc.boolean()),
    );
    it("sum over all, one axis and several axes, with and without keepdims", () => {
      fc.assert(
        fc.property(axisCase, ([x, axis, keepdims]) => {
          checkGradients((p) => sum(p.x), { x });
          checkGradients((p) => sum(p.x, { axis, keepdims }), { x });
          if (x.rank >= 2) checkGradients((p) => sum(p.x, { axis: [0, x.rank - 1], keepdims }), { x });
        }),
        runs,
      );
    });
    it("sumSquares", () => {
      fc.assert(
        fc.property(anyTensorArb(), (x) => {
          checkGradients((p) => sumSquares(p.x), { x });
        }),
        runs,
      );
    });
    it("mean", () => {
      fc.assert(
        fc.property(axisCase, ([x, axis, keepdims]) => {
          checkGradients((p) => mean(p.x), { x });
          checkGradients((p) => mean(p.x, { axis, keepdims }), { x });
        }),
        runs,
      );
    });
    it("max per axis (distinct values, so the maximum is unique)", () => {
      fc.assert(
        fc.property(
          shapeArb({ minRank: 1, maxRank: 3 }).chain((shape) =>
            fc
              .uniqueArray(fc.integer({ min: -1000, max: 1000 }), {
                minLength: shape.reduce((a, b) => a * b, 1),
                maxLength: shape.reduce((a, b) => a * b, 1),
              })
              .map((v) => new Tensor(Float64Array.from(v, (x) => x / 100), shape)),
          ).chain((x) => fc.tuple(fc.constant(x), fc.integer({ min: 0, max: x.rank - 1 }), fc.boolean())),
          ([x, axis, keepdims]) => {
            checkGradients((p) => max(p.x, axis, { keepdims }), { x });
          },
        ),
        runs,
      );
    });
  });

  describe("softmax family and batch moments match centered differences", () => {
    it("softmax and logSoftmax over the last axis", () => {
      fc.assert(
        fc.property(anyTensorArb({ minRank: 1, maxRank: 3 }, { min: -5, max: 5 }), (x) => {
          checkGradients((p) => softmax(p.x), { x });
          checkGradients((p) => logSoftmax(p.x), { x });
        }),
        runs,
      );
    });
    it("softmax cross-entropy against integer labels", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 2, max: 6 }),
          fc.integer(),
          (n, c, seed) => {
            const labels = Array.from({ length: n }, (_, i) => Math.abs(seed + i * 7) % c);
            fc.assert(
              fc.property(tensorArb([n, c], { min: -4, max: 4 }), (x) => {
                checkGradients((p) => softmaxCrossEntropy(p.x, labels), { x });
              }),
              { numRuns: 2 },
            );
          },
        ),
        runs,
      );
    });
    it("batch mean and biased variance", () => {
      fc.assert(
        fc.property(anyTensorArb({ minRank: 2, maxRank: 2, minDim: 2 }), (x) => {
          checkGradients((p) => moments(p.x).mean, { x });
          checkGradients((p) => moments(p.x).variance, { x });
        }),
        runs,
      );
    });
  });

  describe("forward values", () => {
    it("broadcast add of a bias row", () => {
      const x = Tensor.from([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(add(x, Tensor.from([10, 20, 30])).toArray()).toEqual([11, 22, 33, 14, 25, 36]);
      expect(add(x, Tensor.from([[100], [200]])).toArray()).toEqual([101, 102, 103, 204, 205, 206]);
    });
    it("matmul with transposes equals matmul of explicit transposes", () => {
      const a = Tensor.from([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      const b = Tensor.from([
        [1, 0, 2],
        [0, 1, 3],
      ]);
      expect(matmul(a, b).toArray()).toEqual([1, 2, 8, 3, 4, 18, 5, 6, 28]);
      expect(matmul(transpose(a), transpose(b), { transA: true, transB: true }).toArray()).toEqual(matmul(a, b).toArray());
    });
    it("softmax cross-entropy is stable for huge logits", () => {
      const logits = Tensor.from([[1000, 0, -1000]]);
      expect(softmaxCrossEntropy(logits, [0]).item()).toBe(0);
      expect(softmaxCrossEntropy(logits, [1]).item()).toBeCloseTo(1000, 9);
      expect(softmax(logits).toArray()).toEqual([1, 0, 0]);
    });
    it("cross-entropy's batch mean is within 2 ulp of the exact mean (a running sum is not)", () => {
      // Terms in [2, 4) are integer multiples of 2^-51, so their sum is exact in BigInt units of 2^-51.
      const rows = 1000;
      const rng = new Rng(7);
      const logProbs = Float64Array.from({ length: rows }, () => -(2 + 2 * rng.uniform()));
      const labels = new Array<number>(rows).fill(0);
      let units = 0n;
      for (const v of logProbs) units -= BigInt(v * 2 ** 51);
      const exact = Number(units) / 2 ** 51 / rows;
      const ulp = 2 ** -51;
      expect(Math.abs(crossEntropyRows(logProbs, labels, rows, 1) - exact)).toBeLessThanOrEqual(2 * ulp);
      let running = 0;
      for (const v of logProbs) running -= v;
      expect(Math.abs(running / rows - exact)).toBeGreaterThan(2 * ulp);
    });
    it("sigmoid does not overflow for large |x|", () => {
      expect(sigmoid(Tensor.from([-800, 0, 800])).toArray()).toEqual([0, 0.5, 1]);
    });
    it("moments gives the biased variance", () => {
      const { mean: m, variance } = moments(Tensor.from([[1, 10], [3, 10], [5, 13]]));
      expect(m.toArray()).toEqual([3, 11]);
      expect(variance.toArray()).toEqual([8 / 3, 2]);
    });
  });
  });
}
