import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng, Tensor } from "@gradspec/autograd";
import { BatchNorm, Linear, buildLayer, initializer, registeredLayerTypes } from "@gradspec/nn";
import { GradientMismatchError, anyTensorArb, checkGradients, checkLayerGradients, matrixArb } from "@gradspec/nn/testing";

const ctx = (inputDim: number) => ({ inputDim, rng: new Rng(1), init: initializer({ type: "he" }) });

describe("every built-in layer's gradients match centered differences", () => {
  const activations: [string, Record<string, unknown>][] = [
    ["relu", {}],
    ["leakyRelu", { slope: 0.2 }],
    ["tanh", {}],
    ["sigmoid", {}],
  ];
  for (const [type, options] of activations) {
    it(type, () => {
      fc.assert(
        fc.property(anyTensorArb({ minRank: 2, maxRank: 2 }, { awayFromZero: 0.01 }), (x) => {
          const layer = buildLayer({ type, ...options }, ctx(x.shape[1]));
          checkGradients((p) => layer.forward(p.x, { training: true }), { x });
        }),
        { numRuns: 30 },
      );
    });
  }

  it("linear (input, W and b)", () => {
    fc.assert(
      fc.property(matrixArb({ min: 1, max: 6 }, { min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (x, units) => {
        const layer = Linear.build({ units }, ctx(x.shape[1]));
        checkGradients((p) => layer.forward(p.x, { training: true }), { x, W: layer.params.W, b: layer.params.b });
      }),
      { numRuns: 30 },
    );
  });
});

describe("checkLayerGradients", () => {
  it("checks the input and every parameter of a layer in one call, naming the worst", () => {
    const layer = Linear.build({ units: 3 }, ctx(4));
    const report = checkLayerGradients(layer, Tensor.randn([5, 4], new Rng(2)));
    expect(report.parameters.map((p) => p.name)).toEqual(["input", "W", "b"]);
    const bn = new BatchNorm(3);
    expect(checkLayerGradients(bn, Tensor.randn([6, 3], new Rng(3), 2)).parameters.map((p) => p.name)).toEqual(["input", "gamma", "beta"]);
  });

  it("reports a layer whose gradient is wrong", () => {
    const layer = buildLayer({ type: "tanh" }, ctx(3));
    // Same forward values, but returned as a copy the tape never saw: the analytic gradient is zero.
    const broken = { ...layer, forward: (x: Tensor) => layer.forward(x, { training: true }).clone() };
    expect(() => checkLayerGradients(broken, Tensor.randn([2, 3], new Rng(1)))).toThrow(GradientMismatchError);
  });
});

describe("layer registry and initializers", () => {
  it("lists the built-in types and names unknown ones", () => {
    expect(registeredLayerTypes()).toEqual(expect.arrayContaining(["batchnorm", "leakyRelu", "linear", "relu", "sigmoid", "tanh"]));
    expect(() => buildLayer({ type: "convolution" }, ctx(3))).toThrow(/unknown layer type "convolution"; registered: /);
    expect(() => buildLayer({ type: "leakyRelu", slope: 2 }, ctx(3))).toThrow("leakyRelu: slope must be a number in [0, 1), got 2");
  });

  it("He, Xavier and normal draw with the documented standard deviations", () => {
    const std = (t: Tensor) => Math.sqrt(t.data.reduce((s, v) => s + v * v, 0) / t.size);
    const rng = new Rng(3);
    expect(std(initializer({ type: "he" })([400, 300], 400, 300, rng))).toBeCloseTo(Math.sqrt(2 / 400), 3);
    expect(std(initializer({ type: "xavier" })([400, 300], 400, 300, rng))).toBeCloseTo(Math.sqrt(2 / 700), 3);
    expect(std(initializer({ type: "normal", std: 0.001 })([400, 300], 400, 300, rng))).toBeCloseTo(0.001, 5);
    expect(initializer({ type: "zeros" })([2, 2], 2, 2, rng).toArray()).toEqual([0, 0, 0, 0]);
    const a = initializer({ type: "he" })([5, 5], 5, 5, new Rng(9));
    const b = initializer({ type: "he" })([5, 5], 5, 5, new Rng(9));
    expect(a.toArray()).toEqual(b.toArray());
  });
});
