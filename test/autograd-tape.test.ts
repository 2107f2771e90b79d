import { describe, expect, it } from "vitest";
import {
  Rng,
  Tape,
  Tensor,
  add,
  gradcheck,
  matmul,
  mul,
  recordOp,
  softmaxCrossEntropy,
  square,
  sum,
  valueAndGrad,
} from "@gradspec/autograd";
import { GradientMismatchError, checkGradients } from "@gradspec/nn/testing";

describe("tape semantics", () => {
  it("a tensor used twice receives the sum of both gradients", () => {
    const x = Tensor.from([1, 2, 3]);
    const { grads } = valueAndGrad((p: { x: Tensor }) => sum(mul(p.x, p.x)))({ x });
    expect(grads.x.toArray()).toEqual([2, 4, 6]);
    const fanOut = valueAndGrad((p: { x: Tensor }) => sum(add(mul(p.x, 3), square(p.x))))({ x });
    expect(fanOut.grads.x.toArray()).toEqual([5, 7, 9]);
  });

  it("constants get no gradient and are never differentiated", () => {
    const tape = new Tape();
    const x = Tensor.from([1, 2]);
    const c = Tensor.from([5, 7]);
    tape.watch(x);
    const y = tape.run(() => sum(mul(x, c)));
    expect(tape.isTracked(c)).toBe(false);
    const [gx, gc] = tape.gradient(y, [x, c]);
    expect(gx.toArray()).toEqual([5, 7]);
    expect(gc.toArray()).toEqual([0, 0]);
    const untracked = tape.run(() => mul(c, c));
    expect(tape.isTracked(untracked)).toBe(false);
  });

  it("only what lies between the requested inputs and the output is differentiated", () => {
    const tape = new Tape();
    const a = Tensor.from([[1, 2]]);
    const b = Tensor.from([[3], [4]]);
    tape.watch(a, b);
    const calls: string[] = [];
    const spy = (name: string, x: Tensor): Tensor =>
      recordOp(name, [x], x.clone(), (dy, need) => {
        calls.push(`${name}:${need.join(",")}`);
        return [dy];
      });
    const y = tape.run(() => sum(matmul(spy("a", a), spy("b", b))));
    const [gb] = tape.gradient(y, [b]);
    expect(gb.toArray()).toEqual([1, 2]);
    // The branch through a is not needed for ∂y/∂b, so its VJP never runs.
    expect(calls).toEqual(["b:true"]);
  });

  it("a tape can be reset and reused", () => {
    const tape = new Tape();
    const x = Tensor.from([3]);
    tape.watch(x);
    const y1 = tape.run(() => square(x));
    expect(tape.gradient(y1, [x])[0].item()).toBe(6);
    tape.reset();
    expect(tape.length).toBe(0);
    const z = Tensor.from([4]);
    tape.watch(z);
    const y2 = tape.run(() => mul(z, 10));
    expect(tape.length).toBe(1);
    expect(tape.gradient(y2, [z])[0].item()).toBe(10);
    expect(tape.gradient(y2, [x])[0].item()).toBe(0);
  });

  it("a non-scalar output needs an explicit output gradient", () => {
    const tape = new Tape();
    const x = Tensor.from([1, 2]);
    tape.watch(x);
    const y = tape.run(() => mul(x, x));
    expect(() => tape.gradient(y, [x])).toThrow(/not a scalar; pass its gradient/);
    expect(tape.gradient(y, [x], Tensor.from([1, 10]))[0].toArray()).toEqual([2, 40]);
  });
});

describe("errors name the op, the shapes or the index", () => {
  it("shape mismatches", () => {
    expect(() => add(Tensor.zeros([2, 3]), Tensor.zeros([4]))).toThrow("add: shapes [2, 3] and [4] cannot be broadcast together");
    expect(() => matmul(Tensor.zeros([2, 3]), Tensor.zeros([2, 3]))).toThrow(/matmul: inner dimensions differ: op\(A\) is 2×3/);
  });
  it("labels out of range", () => {
    expect(() => softmaxCrossEntropy(Tensor.zeros([2, 3]), [0, 3])).toThrow("softmaxCrossEntropy: label 3 at index 1 is out of range [0, 3)");
    expect(() => softmaxCrossEntropy(Tensor.zeros([2, 3]), [0])).toThrow("softmaxCrossEntropy: 1 labels for a batch of 2 rows");
  });
  it("NaN in a gradient check", () => {
    const x = Tensor.from([1, Number.NaN]);
    expect(() => gradcheck((p: { x: Tensor }) => sum(square(p.x)), { x })).toThrow("gradcheck: analytic gradient of x is NaN at index [1]");
  });
});

describe("gradcheck", () => {
  it("reports per-parameter statistics and the worst index", () => {
    const rng = new Rng(3);
    const params = { W: Tensor.randn([4, 3], rng), b: Tensor.randn([3], rng) };
    const X = Tensor.randn([5, 4], rng);
    const report = gradcheck((p: typeof params) => softmaxCrossEntropy(add(matmul(X, p.W), p.b), [0, 1, 2, 0, 1]), params);
    expect(report.parameters.map((p) => [p.name, p.count])).toEqual([
      ["W", 12],
      ["b", 3],
    ]);
    for (const p of report.parameters) {
      expect(p.max).toBeLessThan(1e-7);
      expect(p.mean).toBeLessThanOrEqual(p.max);
      expect(p.worstIndex.length).toBe(p.shape.length);
    }
    const random = gradcheck((p: typeof params) => softmaxCrossEntropy(add(matmul(X, p.W), p.b), [0, 1, 2, 0, 1]), params, {
      mode: "random",
      directions: 7,
    });
    expect(random.parameters[0].count).toBe(7);
    expect(random.worst.max).toBeLessThan(1e-7);
  });

  it("catches a deliberately wrong VJP (negative control)", () => {
    // cube(x) = x³ whose VJP is off by a factor of two: 6x² instead of 3x².
    const wrongCube = (x: Tensor): Tensor => {
      const out = Tensor.empty(x.shape);
      for (let i = 0; i < x.size; i++) out.data[i] = x.data[i] ** 3;
      return recordOp("wrongCube", [x], out, (dy) => {
        const g = Tensor.empty(x.shape);
        for (let i = 0; i < x.size; i++) g.data[i] = 6 * x.data[i] ** 2 * dy.data[i];
        return [g];
      });
    };
    const x = Tensor.from([0.5, -1.5, 2]);
    expect(() => checkGradients((p) => wrongCube(p.x), { x })).toThrow(GradientMismatchError);
    const report = gradcheck((p: { x: Tensor }) => sum(wrongCube(p.x)), { x });
    expect(report.worst.max).toBeCloseTo(1 / 3, 6);
  });
});

describe("seeded randomness", () => {
  it("the same seed gives bit-identical draws; different seeds differ", () => {
    const a = Tensor.randn([100], new Rng(42));
    const b = Tensor.randn([100], new Rng(42));
    const c = Tensor.randn([100], new Rng(43));
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    expect(a.toArray()).not.toEqual(c.toArray());
    expect(Rng.derive(7, 3).uniform()).toBe(Rng.derive(7, 3).uniform());
    expect(Rng.derive(7, 3).uniform()).not.toBe(Rng.derive(7, 4).uniform());
  });
  it("normal draws have mean ≈ 0 and variance ≈ 1", () => {
    const x = Tensor.randn([200_000], new Rng(1));
    const mean = x.data.reduce((s, v) => s + v, 0) / x.size;
    const variance = x.data.reduce((s, v) => s + (v - mean) ** 2, 0) / x.size;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.01);
  });
});

describe("gradcheck sampling", () => {
  it("checks the requested number of distinct elements, the same ones for the same seed", () => {
    const rng = new Rng(4);
    const params = { W: Tensor.randn([30, 20], rng) };
    const f = (p: typeof params) => sum(square(p.W));
    const a = gradcheck(f, params, { sample: 50, seed: 1 });
    const b = gradcheck(f, params, { sample: 50, seed: 1 });
    expect(a.parameters[0].count).toBe(50);
    expect(a.parameters[0].worstIndex).toEqual(b.parameters[0].worstIndex);
    expect(a.parameters[0].mean).toBe(b.parameters[0].mean);
    expect(gradcheck(f, params, { sample: 5000 }).parameters[0].count).toBe(600);
  });
});

describe("summation accuracy", () => {
  it("sum over all elements is pairwise: far closer to the exact sum than a running total", () => {
    // 1 + 1e6 copies of 1e-16: a running total never moves from 1; the exact sum is 1 + 1e-10.
    const x = new Float64Array(1_000_001).fill(1e-16);
    x[0] = 1;
    expect(sum(new Tensor(x, [x.length])).item()).toBeCloseTo(1 + 1e-10, 13);
    let running = 0;
    for (const v of x) running += v;
    expect(running).toBe(1);
  });
});
