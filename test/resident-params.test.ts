import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { Rng, Tape, Tensor, WasmArena, momentumStepPlain, plainBackend, setBackend, sumSquaresAll, square, sum, wasmBackend, type Backend, type MomentumRule } from "@gradspec/autograd";
import { SgdMomentum, buildMlp, l2Penalty, l2PenaltyValue, lossAndCost, tensorSource, train } from "@gradspec/nn";

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
    const kernels = wasm as Backend;
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
          (kernels.momentumStep as NonNullable<Backend["momentumStep"]>)(rule, inside[0], inside[1], inside[2], eta, rho, decay);
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
    (wasm as Backend).momentumStep?.("report", theta, Float64Array.of(1, 1, 1), v, 0.1, 0.5, 0);
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
    it.skipIf(kernels === null)(`${name}: train() leaves every parameter in its own array, holding the trained values`, () => {
      setBackend(kernels as Backend);
      const model = buildMlp({ input: 12, hidden: [8], output: 3, batchNorm: { enabled: true } }, new Rng(2));
      const before = new Map([...model.params].map(([k, t]) => [k, { array: t.data, copy: Float64Array.from(t.data) }]));
      const x = Tensor.randn([40, 12], new Rng(3));
      const labels = Int32Array.from({ length: 40 }, (_, i) => i % 3);
      let seenDuringTraining: Float64Array | null = null;
      train(model, { train: tensorSource(x, labels, 3) }, { epochs: 2, batchSize: 10, learningRate: 0.1, momentum: 0.9, seed: 1 }, {
        onBatch: () => {
          seenDuringTraining ??= model.params.get("W1")?.data ?? null;
        },
      });
      for (const [k, t] of model.params) {
        const { array, copy } = before.get(k) as { array: Float64Array; copy: Float64Array };
        expect(t.data, k).toBe(array);
        expect(Array.from(t.data), `${k} was trained`).not.toEqual(Array.from(copy));
      }
      // With the wasm kernels the weights live in wasm memory while training, and not afterwards.
      const W1 = model.params.get("W1") as Tensor;
      if (name === "wasm") expect(seenDuringTraining).not.toBe(W1.data);
      expect(W1.data.buffer.byteLength).toBe(W1.size * 8);
    });
  }

  it("moveStorage copies the values, keeps the tensor and returns the previous array", () => {
    const t = Tensor.from([1, 2, 3]);
    const old = t.data;
    const target = new Float64Array(3);
    expect(t.moveStorage(target)).toBe(old);
    expect(t.data).toBe(target);
    expect(Array.from(target)).toEqual([1, 2, 3]);
    expect(() => t.moveStorage(new Float64Array(2))).toThrow(/2 elements, the tensor 3/);
  });
});
