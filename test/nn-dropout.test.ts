import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng, Tensor } from "@gradspec/autograd";
import { Dropout, buildLayer, initializer } from "@gradspec/nn";
import { anyTensorArb, checkGradients, checkLayerGradients } from "@gradspec/nn/testing";

const ctx = (inputDim: number, seed = 1) => ({ inputDim, rng: new Rng(seed), init: initializer({ type: "he" }) });
const TRAIN = { training: true };
const HELD = { training: true, holdRandomness: true };

describe("dropout", () => {
  it("gradients match centered differences with its mask held (property)", () => {
    fc.assert(
      fc.property(anyTensorArb({ minRank: 2, maxRank: 2 }), fc.double({ min: 0.05, max: 0.9, noNaN: true }), (x, rate) => {
        const layer = buildLayer({ type: "dropout", rate }, ctx(x.shape[1]));
        checkGradients((p) => layer.forward(p.x, HELD), { x });
        checkLayerGradients(layer, x);
      }),
      { numRuns: 30 },
    );
  });

  it("keeps each element with probability 1 − rate and scales it by 1/(1 − rate)", () => {
    const rate = 0.3;
    const layer = new Dropout(400, rate, 7);
    const x = Tensor.full([50, 400], 2);
    const y = layer.forward(x, TRAIN).data;
    const kept = y.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([2 / (1 - rate)]));
    // 20,000 Bernoulli draws: the kept fraction is within 4 standard deviations of 0.7.
    const sd = Math.sqrt((rate * (1 - rate)) / y.length);
    expect(Math.abs(kept.length / y.length - (1 - rate))).toBeLessThan(4 * sd);
  });

  it("is the identity in eval mode and at rate 0", () => {
    const x = Tensor.randn([4, 5], new Rng(3));
    expect(new Dropout(5, 0.5, 1).forward(x, { training: false })).toBe(x);
    expect(new Dropout(5, 0, 1).forward(x, TRAIN)).toBe(x);
  });

  it("draws a new mask every training step from (seed, step); holding reuses it", () => {
    const x = Tensor.ones([3, 8]);
    const a = new Dropout(8, 0.5, 11);
    const b = new Dropout(8, 0.5, 11);
    const first = Array.from(a.forward(x, HELD).data);
    expect(Array.from(a.forward(x, HELD).data)).toEqual(first);
    expect(a.buffers.step.data[0]).toBe(0);
    expect(Array.from(a.forward(x, TRAIN).data)).toEqual(first);
    const second = Array.from(a.forward(x, TRAIN).data);
    expect(second).not.toEqual(first);
    expect(a.buffers.step.data[0]).toBe(2);
    // Another layer with the same seed and step count (e.g. rebuilt from a checkpoint) continues the same masks.
    b.buffers.step.data[0] = 1;
    expect(Array.from(b.forward(x, TRAIN).data)).toEqual(second);
    expect(Array.from(new Dropout(8, 0.5, 12).forward(x, TRAIN).data)).not.toEqual(first);
  });

  it("refuses a rate outside [0, 1) and describes itself", () => {
    expect(() => buildLayer({ type: "dropout", rate: 1 }, ctx(3))).toThrow("dropout: rate must be a number in [0, 1), got 1");
    expect(buildLayer({ type: "dropout" }, ctx(3)).describe()).toEqual({ type: "dropout", rate: 0.5 });
  });
});
