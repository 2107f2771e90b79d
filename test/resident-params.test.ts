import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { BufferPool, Rng, Tape, Tensor, WasmArena, allocateLasting, kernel, plainBackend, setBackend, sumSquaresAll, square, sum, wasmBackend, wasmExtras, withAllocator, type Backend } from "@gradspec/autograd";
import { MOMENTUM_KERNEL, SgdMomentum, buildMlp, l2Penalty, l2PenaltyValue, lossAndCost, momentumStepPlain, tensorSource, train, type MomentumRule } from "@gradspec/nn";

const wasm = wasmBackend();
const RULES: MomentumRule[] = ["report", "pytorch", "nesterov"];

afterEach(() => {
  setBackend(plainBackend);
});

function expectSameBits(actual: Float64Array, expected: Float64Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) throw new Error(`${what}, element ${i}: ${actual[i]} ≠ ${expected[i]}`);
  }
}

describe.skipIf(wasm === null)("momentum update in wasm memory", () => {
  it("gives the plain loop's θ and v bit for bit, for every rule, with and without decay, at odd lengths", () => {
    setBackend(wasm as Backend);
    const update = kernel(MOMENTUM_KERNEL);
    const arena = new WasmArena(1 << 20);
    try {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 301 }), fc.constantFrom(...RULES), fc.boolean(), fc.integer({ min: 0, max: 1e6 }), (n, rule, decayed, seed) => {
          arena.reset();
          const rng = new Rng(seed);
          const draw = () => Float64Array.from({ length: n }, () => rng.normal());
          const [theta, grad, v] = [draw(), draw(), draw()];
          const [eta, rho] = [rng.uniformIn(1e-4, 1), rng.uniformIn(0, 0.99)];
          const decay = decayed ? rng.uniformIn(1e-6, 0.1) : 0;
          const inside = [theta, grad, v].map((x) => {
            const view = arena.allocate(n, false);
            view.set(x);
            return view;
          });
          momentumStepPlain(rule, theta, grad, v, eta, rho, decay);
          update(rule, inside[0], inside[1], inside[2], eta, rho, decay);
          expectSameBits(inside[0], theta, `${rule} θ`);
          expectSameBits(inside[2], v, `${rule} v`);
          expectSameBits(inside[1], grad, `${rule} ∇ untouched`);
        }),
        { numRuns: 60 },
      );
    } finally {
      arena.dispose();
    }
  });

  it("falls back to the plain loop for arrays outside wasm memory", () => {
    const theta = Float64Array.of(1, 2, 3);
    const v = Float64Array.of(0.5, 0, -1);
    setBackend(wasm as Backend);
    kernel(MOMENTUM_KERNEL)("report", theta, Float64Array.of(1, 1, 1), v, 0.1, 0.5, 0);
    expect(Array.from(v)).toEqual([0.5 * 0.5 + 0.1, 0.1, -0.5 + 0.1]);
    expect(Array.from(theta)).toEqual([1 - (0.25 + 0.1), 2 - 0.1, 3 - (-0.5 + 0.1)]);
  });
});

describe("the L2 penalty outside the tape", () => {
  it("sumSquaresAll equals sum(square(x)) bit for bit at every length around the pairwise blocks", () => {
    const rng = new Rng(4);
    for (const n of [0, 1, 7, 127, 128, 129, 255, 256, 257, 1000, 3072 * 5 + 3]) {
      const x = Tensor.randn([n], rng, 0.3);
      expect(Object.is(sumSquaresAll(x.data), sum(square(x)).item()), `n = ${n}`).toBe(true);
    }
  });

  const kernelSets: [string, Backend | null][] = [["plain", plainBackend], ["wasm", wasm]];
  for (const [name, kernels] of kernelSets) {
    it.skipIf(kernels === null)(`${name}: train() gives the parameters and costs of differentiating loss + λ‖W‖² on the tape`, () => {
      setBackend(kernels as Backend);
      const lambda = 0.013;
      const x = Tensor.randn([60, 12], new Rng(3));
      const labels = Int32Array.from({ length: 60 }, (_, i) => (i * 7) % 3);
      const options = { epochs: 2, batchSize: 20, learningRate: 0.07, momentum: 0.85, lambda, seed: 1, shuffle: false, evaluateInitial: false };
      for (const variant of RULES) {
        const config = { input: 12, hidden: [8, 5], output: 3, batchNorm: { enabled: true } };
        const model = buildMlp(config, new Rng(2));
        const costs: number[] = [];
        train(model, { train: tensorSource(x, labels, 3) }, { ...options, variant }, { onBatch: (b) => costs.push(b.cost) });

        // The loop as it was: the penalty on the tape, the gradient of the cost, a decay-free update.
        const reference = buildMlp(config, new Rng(2));
        const optimizer = new SgdMomentum({ momentum: options.momentum, variant });
        const tensors = [...reference.params.values()];
        const referenceCosts: number[] = [];
        for (let epoch = 0; epoch < options.epochs; epoch++) {
          for (let start = 0; start < 60; start += 20) {
            const batch = new Tensor(x.data.slice(start * 12, (start + 20) * 12), [20, 12]);
            const tape = new Tape();
            tape.watch(...tensors);
            const { cost } = tape.run(() => lossAndCost(reference, batch, labels.subarray(start, start + 20), lambda, { training: true }));
            referenceCosts.push(cost.item());
            const g = tape.gradient(cost, tensors);
            optimizer.step(reference.params, new Map([...reference.params.keys()].map((k, i) => [k, g[i]])), options.learningRate);
          }
        }
        expect(costs, variant).toEqual(referenceCosts);
        for (const [k, t] of reference.params) expect(Array.from((model.params.get(k) as Tensor).data), `${variant} ${k}`).toEqual(Array.from(t.data));
        expect(l2PenaltyValue(model, lambda)).toBe(l2Penalty(model, lambda).item());
      }
    });
  }
});

describe("parameters during and after training", () => {
  const kernelSets: [string, Backend | null][] = [["plain", plainBackend], ["wasm", wasm]];
  for (const [name, kernels] of kernelSets) {
    it.skipIf(kernels === null)(`${name}: train() keeps every parameter in the array it was allocated in, holding the trained values`, () => {
      setBackend(kernels as Backend);
      // 12 × 100: large enough for the wasm backend to place W1 in its memory.
      const model = buildMlp({ input: 12, hidden: [100], output: 3, batchNorm: { enabled: true } }, new Rng(2));
      const before = new Map([...model.params].map(([k, t]) => [k, { array: t.data, copy: Float64Array.from(t.data) }]));
      const x = Tensor.randn([40, 12], new Rng(3));
      const labels = Int32Array.from({ length: 40 }, (_, i) => i % 3);
      const seenDuringTraining: Float64Array[] = [];
      train(model, { train: tensorSource(x, labels, 3) }, { epochs: 2, batchSize: 10, learningRate: 0.1, momentum: 0.9, seed: 1 }, {
        onBatch: () => {
          seenDuringTraining.push(model.params.get("W1")?.data ?? new Float64Array(0));
        },
      });
      for (const [k, t] of model.params) {
        const { array, copy } = before.get(k) as { array: Float64Array; copy: Float64Array };
        expect(t.data, k).toBe(array);
        expect(Array.from(t.data), `${k} was trained`).not.toEqual(Array.from(copy));
      }
      const W1 = model.params.get("W1") as Tensor;
      for (const seen of seenDuringTraining) expect(seen).toBe(W1.data);
      // The wasm backend allocated W1 in its memory (a view of a much larger buffer); plain on the heap.
      if (name === "wasm") expect(W1.data.buffer.byteLength).toBeGreaterThan(W1.size * 8);
      else expect(W1.data.buffer.byteLength).toBe(W1.size * 8);
    });
  }

  it.skipIf(wasm === null)("with the wasm kernels, train() runs W1's momentum update in wasm (θ, ∇ and v all in its memory)", () => {
    setBackend(wasm as Backend);
    const extras = wasmExtras();
    if (extras === null) throw new Error("wasm extras missing");
    const original = extras.momentumStep;
    const lengths: number[] = [];
    extras.momentumStep = (rule, theta, grad, v, eta, rho, decay) => {
      const ran = original(rule, theta, grad, v, eta, rho, decay);
      if (ran) lengths.push(theta.length);
      return ran;
    };
    try {
      const model = buildMlp({ input: 12, hidden: [100], output: 3, batchNorm: { enabled: true } }, new Rng(2));
      const x = Tensor.randn([40, 12], new Rng(3));
      const labels = Int32Array.from({ length: 40 }, (_, i) => i % 3);
      train(model, { train: tensorSource(x, labels, 3) }, { epochs: 1, batchSize: 10, learningRate: 0.1, momentum: 0.9, seed: 1, evaluateInitial: false });
    } finally {
      extras.momentumStep = original;
    }
    // Four updates, each of W1 (12 × 100) in wasm; the small parameters stay on the heap.
    expect(lengths).toEqual([1200, 1200, 1200, 1200]);
  });

  it.skipIf(wasm === null)("the wasm backend places large tensors in its memory, small ones on the heap, and lasting ones outside any pool", () => {
    setBackend(wasm as Backend);
    const large = Tensor.zeros([40, 40]);
    const small = Tensor.zeros([3]);
    expect(large.data.buffer.byteLength).toBeGreaterThan(large.size * 8);
    expect(Array.from(large.data).every((x) => x === 0)).toBe(true);
    expect(small.data.buffer.byteLength).toBe(small.size * 8);
    const pool = new BufferPool();
    const [pooled, lasting] = withAllocator(pool, () => [Tensor.zeros([2000]).data, allocateLasting(2000)]);
    pool.reset();
    expect(pool.allocate(2000)).toBe(pooled);
    expect(lasting).not.toBe(pooled);
    expect(lasting.buffer.byteLength).toBeGreaterThan(2000 * 8);
  });
});
