import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { Rng, Tensor, WasmArena, momentumStepPlain, plainBackend, setBackend, wasmBackend, type Backend, type MomentumRule } from "@gradspec/autograd";
import { buildMlp, tensorSource, train } from "@gradspec/nn";

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
  it("gives the plain loop's θ and v bit for bit, for every rule and odd lengths", () => {
    const kernels = wasm as Backend;
    const arena = new WasmArena(1 << 20);
    try {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 301 }), fc.constantFrom(...RULES), fc.integer({ min: 0, max: 1e6 }), (n, rule, seed) => {
          arena.reset();
          const rng = new Rng(seed);
          const draw = () => Float64Array.from({ length: n }, () => rng.normal());
          const [theta, grad, v] = [draw(), draw(), draw()];
          const [eta, rho] = [rng.uniformIn(1e-4, 1), rng.uniformIn(0, 0.99)];
          const inside = [theta, grad, v].map((x) => {
            const view = arena.allocate(n, false);
            view.set(x);
            return view;
          });
          momentumStepPlain(rule, theta, grad, v, eta, rho);
          (kernels.momentumStep as NonNullable<Backend["momentumStep"]>)(rule, inside[0], inside[1], inside[2], eta, rho);
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
    (wasm as Backend).momentumStep?.("report", theta, Float64Array.of(1, 1, 1), v, 0.1, 0.5);
    expect(Array.from(v)).toEqual([0.5 * 0.5 + 0.1, 0.1, -0.5 + 0.1]);
    expect(Array.from(theta)).toEqual([1 - (0.25 + 0.1), 2 - 0.1, 3 - (-0.5 + 0.1)]);
  });
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
