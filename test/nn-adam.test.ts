import { describe, expect, it } from "vitest";
import { Rng, Tensor } from "@gradspec/autograd";
import { Adam, Sequential, optimizers, tensorSource, train } from "@gradspec/nn";

const params = (values: number[]) => new Map([["W1", Tensor.from(values)], ["b1", Tensor.from([0.5])]]);
const grads = (w: number[], b: number) => new Map([["W1", Tensor.from(w)], ["b1", Tensor.from([b])]]);

/** PyTorch's Adam, written out for one element: returns θ after steps with the given gradients. */
function adamByHand(theta: number, gradients: number[], lr: number, wd: number, l2 = 0): number {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let m = 0;
  let v = 0;
  gradients.forEach((g0, i) => {
    const t = i + 1;
    const g = g0 + 2 * l2 * theta;
    theta = theta * (1 - lr * wd);
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const mHat = m / (1 - b1 ** t);
    const vHat = v / (1 - b2 ** t);
    theta = theta - (lr * mHat) / (Math.sqrt(vHat) + eps);
  });
  return theta;
}

describe("Adam and AdamW", () => {
  it("match a hand-computed step, bias correction included", () => {
    const p = params([1, -2]);
    const adam = new Adam({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decayed: ["W1"] });
    adam.step(p, grads([0.5, 0.1], 0.2), 0.1);
    // Step 1 of Adam moves each element by about η against its gradient's sign.
    expect(p.get("W1")!.data[0]).toBeCloseTo(0.9, 7);
    adam.step(p, grads([-0.3, 0.1], 0.2), 0.1);
    expect(p.get("W1")!.data[0]).toBeCloseTo(adamByHand(1, [0.5, -0.3], 0.1, 0), 14);
    expect(p.get("W1")!.data[1]).toBeCloseTo(adamByHand(-2, [0.1, 0.1], 0.1, 0), 14);
    expect(p.get("b1")!.data[0]).toBeCloseTo(adamByHand(0.5, [0.2, 0.2], 0.1, 0), 14);
  });

  it("AdamW decays weight matrices only, decoupled from the gradient; training.lambda joins the gradient", () => {
    const p = params([1, -2]);
    const adamw = optimizers.build({ type: "adamw", weightDecay: 0.1 }, { decayed: ["W1"] });
    adamw.step(p, grads([0.5, 0.1], 0.2), 0.01, new Map([["W1", 0.05]]));
    adamw.step(p, grads([-0.3, 0.1], 0.2), 0.01, new Map([["W1", 0.05]]));
    expect(p.get("W1")!.data[0]).toBeCloseTo(adamByHand(1, [0.5, -0.3], 0.01, 0.1, 0.05), 14);
    expect(p.get("b1")!.data[0]).toBeCloseTo(adamByHand(0.5, [0.2, 0.2], 0.01, 0), 14);
    expect(p.get("b1")!.data[0]).not.toBeCloseTo(adamByHand(0.5, [0.2, 0.2], 0.01, 0.1), 10);
  });

  it("continues from its state exactly (step count and both moments)", () => {
    const a = params([1, -2]);
    const b = params([1, -2]);
    const first = new Adam({ beta1: 0.8, beta2: 0.99, eps: 1e-8, weightDecay: 0, decayed: [] });
    first.step(a, grads([0.5, 0.1], 0.2), 0.1);
    first.step(b, grads([0.5, 0.1], 0.2), 0.1);
    const resumed = new Adam({ beta1: 0.8, beta2: 0.99, eps: 1e-8, weightDecay: 0, decayed: [] });
    resumed.load(first.copyState(), b);
    first.step(a, grads([0.4, -0.7], 0.1), 0.1);
    resumed.step(b, grads([0.4, -0.7], 0.1), 0.1);
    expect(Array.from(b.get("W1")!.data)).toEqual(Array.from(a.get("W1")!.data));
    expect(() => resumed.load(new Map([["W9.m", new Float64Array(2)]]), b)).toThrow("adam: the state has W9.m, which is not a parameter's moment");
  });

  it("trains a network through train({optimizer}), and a resumed run equals the uninterrupted one", () => {
    const rng = new Rng(4);
    const x = Tensor.randn([60, 5], rng);
    const labels = Int32Array.from({ length: 60 }, (_, i) => i % 3);
    const build = () => Sequential.fromConfigs(5, [{ type: "linear", units: 8 }, { type: "tanh" }, { type: "linear", units: 3 }], new Rng(1));
    const options = { epochs: 4, batchSize: 16, learningRate: 0.01, seed: 2, optimizer: { type: "adam" } };
    const whole = train(build(), { train: tensorSource(x, labels, 3) }, options);
    const losses = whole.history.map((h) => h.train!.loss);
    expect(losses[4]).toBeLessThan(losses[0]);
    const model = build();
    const half = train(model, { train: tensorSource(x, labels, 3) }, { ...options, until: 2 });
    const rest = train(model, { train: tensorSource(x, labels, 3) }, { ...options, resume: half.state! });
    expect(rest.history.map((h) => h.train!.loss)).toEqual(losses.slice(3));
  });
});
