import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng, Tensor } from "@gradspec/autograd";
import { Sequential, anyTensorArb, checkGradients, lossAndCost } from "@gradspec/nn";
import { LeakyReLU } from "../examples/custom-layer/leaky-relu.js";

const doc = readFileSync(new URL("../docs/custom-layer.md", import.meta.url), "utf8");
const source = readFileSync(new URL("../examples/custom-layer/leaky-relu.ts", import.meta.url), "utf8");

describe("docs/custom-layer.md", () => {
  it("shows the example layer verbatim", () => {
    expect(doc).toContain("```ts\n" + source + "```");
  });

  it("the layer's gradients pass the property check, off its kink", () => {
    const layer = new LeakyReLU(0, 0.1);
    fc.assert(
      fc.property(anyTensorArb({}, { awayFromZero: 0.01 }), (x) => {
        checkGradients((p) => layer.forward(p.x, { training: true }), { x });
      }),
      { numRuns: 50 },
    );
    expect(layer.forward(Tensor.from([2, -3]), { training: false }).toArray()).toEqual([2, -0.30000000000000004]);
  });

  it("is usable by name once registered, in a network whose gradients check out", () => {
    const net = Sequential.fromConfigs(
      6,
      [{ type: "linear", units: 5 }, { type: "batchnorm" }, { type: "leakyRelu", slope: 0.05 }, { type: "linear", units: 3 }],
      new Rng(1),
    );
    expect(net.describe().layers[2]).toEqual({ type: "leakyRelu", slope: 0.05 });
    const rng = new Rng(2);
    const x = Tensor.randn([8, 6], rng);
    const labels = [0, 1, 2, 0, 1, 2, 0, 1];
    checkGradients(() => lossAndCost(net, x, labels, 0.01, { training: true }).cost, net.paramRecord(), { tolerance: 1e-6 });
  });
});
