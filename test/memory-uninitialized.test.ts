import { describe, expect, it } from "vitest";
import { BufferPool, Rng, Tensor, valueAndGrad, withAllocator, type Allocator } from "@gradspec/autograd";
import * as op from "@gradspec/autograd";
import { buildMlp, lossAndCost } from "@gradspec/nn";

/** Hands out NaN-filled buffers whenever the caller says it will overwrite them. */
const poisoning: Allocator = {
  allocate(length, zeroed = true) {
    const buffer = new Float64Array(length);
    if (!zeroed) buffer.fill(Number.NaN);
    return buffer;
  },
};

/** A scalar function that runs every op forward and backward. */
function everyOp(p: { x: Tensor; w: Tensor; v: Tensor }): Tensor {
  const h = op.add(op.matmul(p.x, p.w), p.v);
  const { mean: mu, variance } = op.moments(h);
  const normed = op.div(op.sub(h, mu), op.sqrt(op.affine(variance, 1, 1e-5)));
  const mixed = op.add(op.add(op.relu(normed), op.tanh(normed)), op.mul(op.sigmoid(op.neg(normed)), op.exp(op.affine(normed, 0.1))));
  const t = op.transpose(op.matmul(p.x, p.w));
  const back = op.matmul(t, p.w, { transA: true, transB: true });
  const logs = op.log(op.add(op.square(mixed), 1));
  const scores = op.add(op.reshape(op.pow(logs, 1.5), [4, 3]), op.softmax(mixed));
  return op.add(
    op.add(op.softmaxCrossEntropy(scores, [0, 2, 1, 2]), op.mean(op.logSoftmax(scores))),
    op.add(op.sum(op.max(back, 1)), op.sum(op.sum(mixed, { axis: 0 }))),
  );
}

describe("buffers the caller overwrites may hold garbage", () => {
  it("every op writes every element of the outputs it asks for uninitialized", () => {
    const rng = new Rng(3);
    const params = { x: Tensor.randn([4, 5], rng), w: Tensor.randn([5, 3], rng), v: Tensor.randn([3], rng) };
    const f = valueAndGrad(everyOp);
    const clean = f(params);
    const dirty = withAllocator(poisoning, () => f(params));
    expect(Number.isFinite(clean.value.item())).toBe(true);
    expect(dirty.value.item()).toBe(clean.value.item());
    for (const name of ["x", "w", "v"] as const) expect(Array.from(dirty.grads[name].data)).toEqual(Array.from(clean.grads[name].data));
  });

  it("a training step on a reused pool gives the same loss and gradients as on fresh memory", () => {
    const model = buildMlp({ input: 6, hidden: [5, 4], output: 3, batchNorm: { enabled: true } }, new Rng(1));
    const x = Tensor.randn([8, 6], new Rng(2));
    const labels = [0, 1, 2, 0, 1, 2, 0, 1];
    const names = [...model.params.keys()];
    const step = () => {
      const f = valueAndGrad((_params: Record<string, Tensor>) => lossAndCost(model, x, labels, 0.01, { training: true }).cost);
      const { value, grads } = f(Object.fromEntries(model.params));
      return [value.item(), ...names.flatMap((n) => Array.from(grads[n].data))];
    };
    const fresh = step();
    const pool = new BufferPool();
    withAllocator(pool, step);
    pool.reset();
    expect(withAllocator(poisonOnReuse(pool), step)).toEqual(fresh);
  });
});

/** Fills each buffer `pool` hands out with NaN before passing it on when the caller will overwrite it. */
function poisonOnReuse(pool: BufferPool): Allocator {
  return {
    allocate(length, zeroed = true) {
      const buffer = pool.allocate(length, zeroed);
      if (!zeroed) buffer.fill(Number.NaN);
      return buffer;
    },
  };
}
