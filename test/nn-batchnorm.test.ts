import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng, Tensor, moments, relu } from "@gradspec/autograd";
import { BatchNorm, Linear } from "@gradspec/nn";
import { checkGradients, matrixArb } from "@gradspec/nn/testing";

describe("batch normalization", () => {
  it("training mode gives per-feature mean 0 and variance 1 (γ = 1, β = 0)", () => {
    const rng = new Rng(5);
    const bn = new BatchNorm(7);
    const x = Tensor.randn([40, 7], rng, 3);
    for (let i = 0; i < x.size; i++) x.data[i] += (i % 7) * 10;
    const y = bn.forward(x, { training: true });
    for (let j = 0; j < 7; j++) {
      let mean = 0;
      for (let r = 0; r < 40; r++) mean += y.get(r, j) / 40;
      let variance = 0;
      for (let r = 0; r < 40; r++) variance += (y.get(r, j) - mean) ** 2 / 40;
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      // ε = 1e-5 inside the square root shrinks the variance by var/(var + ε).
      expect(variance).toBeCloseTo(1, 5);
    }
  });

  it("keeps running statistics by the documented moving average and uses them in eval mode", () => {
    const bn = new BatchNorm(2, { momentum: 0.75, eps: 1e-3 });
    const x = Tensor.from([
      [1, 10],
      [3, 14],
    ]);
    bn.forward(x, { training: true });
    // batch mean [2, 12], biased variance [1, 4]; running = 0.75·old + 0.25·batch from (0, 1).
    expect(bn.buffers.runningMean.toArray()).toEqual([0.5, 3]);
    expect(bn.buffers.runningVar.toArray()).toEqual([1, 1.75]);
    bn.params.gamma.data.set([2, 3]);
    bn.params.beta.data.set([0.5, -1]);
    const y = bn.forward(Tensor.from([[4, 6]]), { training: false });
    expect(y.get(0, 0)).toBeCloseTo(2 * (4 - 0.5) / Math.sqrt(1 + 1e-3) + 0.5, 12);
    expect(y.get(0, 1)).toBeCloseTo(3 * (6 - 3) / Math.sqrt(1.75 + 1e-3) - 1, 12);
    // Eval mode leaves the running statistics alone.
    expect(bn.buffers.runningMean.toArray()).toEqual([0.5, 3]);
  });

  it("refuses a training batch of one sample with a clear message", () => {
    const bn = new BatchNorm(3);
    expect(() => bn.forward(Tensor.zeros([1, 3]), { training: true })).toThrow(/a training batch of 1 sample has no batch variance/);
    expect(() => bn.forward(Tensor.zeros([1, 3]), { training: false })).not.toThrow();
  });

  it("FC → BN → ReLU gradients match centered differences (property)", () => {
    fc.assert(
      fc.property(
        matrixArb({ min: 3, max: 8 }, { min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer(),
        (x, units, seed) => {
          const rng = new Rng(seed);
          const fcLayer = Linear.build({ units }, { inputDim: x.shape[1], rng, init: (s, fi) => Tensor.randn(s, rng, Math.sqrt(2 / fi)) });
          const bn = new BatchNorm(units);
          bn.params.gamma.data.set(Tensor.rand([units], rng, 0.5, 1.5).data);
          bn.params.beta.data.set(Tensor.rand([units], rng, 0.2, 0.6).data);
          const params = { x, W: fcLayer.params.W, b: fcLayer.params.b, gamma: bn.params.gamma, beta: bn.params.beta };
          // β > 0.2 and normalized inputs keep most pre-activations off the ReLU kink; reject the rare
          // case where one lies within 0.01 of it rather than loosening the tolerance.
          const z = fcLayer.forward(x, { training: true });
          const pre = bn.forward(z, { training: true });
          fc.pre(pre.data.every((v) => Math.abs(v) > 0.01));
          // BN's curvature grows like 1/σ³: a batch whose pre-BN values nearly coincide is a bad domain
          // for any finite difference, as log near 0 is.
          fc.pre(moments(z).variance.data.every((v) => v > 0.25));
          // The layers hold the very tensors in `params`, which the check perturbs in place.
          const ctx = { training: true };
          checkGradients((p) => relu(bn.forward(fcLayer.forward(p.x, ctx), ctx)), params, { tolerance: 1e-6 });
        },
      ),
      { numRuns: 40 },
    );
  });
});
