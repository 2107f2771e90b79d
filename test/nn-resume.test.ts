import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng, Tensor } from "@gradspec/autograd";
import { CheckpointError, buildMlp, encodeCheckpoint, loadCheckpointInto, loadTrainingCheckpoint, tensorSource, train, type MomentumVariant, type ScheduleSpec, type Sequential, type TrainOptions } from "@gradspec/nn";

function randomData(n: number, d: number, classes: number, seed: number): { x: Tensor; labels: number[] } {
  const rng = new Rng(seed);
  return { x: Tensor.randn([n, d], rng), labels: Array.from({ length: n }, () => rng.int(classes)) };
}

const schedules: ScheduleSpec[] = [
  { type: "constant" },
  { type: "exponential", decay: 0.9 },
  { type: "step", every: 2, factor: 0.5 },
  { type: "cyclic", min: 0.01, max: 0.1, stepSize: 7 },
];
const variants: MomentumVariant[] = ["report", "pytorch", "nesterov"];

function tensorsOf(model: Sequential): Record<string, number[]> {
  return Object.fromEntries([...model.params, ...model.buffers].map(([name, t]) => [name, [...t.data]]));
}

describe("resuming training from a saved state", () => {
  it("continues bit for bit: 0→E in one call equals 0→k, a checkpoint with the state, then k→E in a freshly built network", () => {
    fc.assert(
      fc.property(
        fc.record({
          epochs: fc.integer({ min: 2, max: 5 }),
          split: fc.double({ min: 0, max: 1, noNaN: true }),
          schedule: fc.constantFrom(...schedules),
          variant: fc.constantFrom(...variants),
          batchNorm: fc.boolean(),
          lambda: fc.constantFrom(0, 0.003),
          batchSize: fc.constantFrom(7, 16),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        (c) => {
          const { x, labels } = randomData(45, 12, 3, c.seed);
          const validation = tensorSource(...(Object.values(randomData(15, 12, 3, c.seed + 1)) as [Tensor, number[]]), 3);
          const data = { train: tensorSource(x, labels, 3), validation };
          const build = (initSeed: number): Sequential => buildMlp({ input: 12, hidden: [10, 6], output: 3, batchNorm: { enabled: c.batchNorm } }, new Rng(initSeed));
          const options: TrainOptions = { epochs: c.epochs, batchSize: c.batchSize, learningRate: 0.05, schedule: c.schedule, momentum: 0.8, variant: c.variant, lambda: c.lambda, seed: c.seed, divergence: { costRatio: 1e6 } };
          const strip = (h: { seconds: number }[]) => h.map(({ seconds: _s, ...rest }) => rest);

          const whole = build(3);
          const all = train(whole, data, options);
          const k = Math.min(c.epochs - 1, Math.floor(c.split * c.epochs));

          const first = build(3);
          const part = train(first, data, { ...options, until: k });
          expect(part.state?.epoch).toBe(k);
          const bytes = encodeCheckpoint(first, {}, part.state);
          const second = build(99); // other initial values: everything must come from the checkpoint
          const { state } = loadTrainingCheckpoint(second, bytes, "state.safetensors");
          const rest = train(second, data, { ...options, resume: state });

          expect(tensorsOf(second)).toEqual(tensorsOf(whole));
          expect(strip([...part.history, ...rest.history])).toEqual(strip(all.history));
          expect(rest.state?.update).toBe(all.state?.update);
          // The divergence rule's reference is the first batch of the whole run, not of the resumed part.
          expect(state?.firstCost).toBe(part.state?.firstCost);
          expect(rest.state?.firstCost).toBe(all.state?.firstCost);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("a state from another network or a corrupted one is refused with the tensor it is about", () => {
    const { x, labels } = randomData(30, 8, 3, 1);
    const model = buildMlp({ input: 8, hidden: [5], output: 3 }, new Rng(1));
    const result = train(model, { train: tensorSource(x, labels, 3) }, { epochs: 2, batchSize: 10, learningRate: 0.1, seed: 1, until: 1 });
    const bytes = encodeCheckpoint(model, {}, result.state);
    const other = buildMlp({ input: 8, hidden: [6], output: 3 }, new Rng(1));
    expect(() => loadTrainingCheckpoint(other, bytes, "s.safetensors")).toThrow(CheckpointError);
    expect(() => loadTrainingCheckpoint(other, bytes, "s.safetensors")).toThrow(/s\.safetensors: tensor W1 has shape/);
    // loadCheckpointInto takes a checkpoint with a state too (the state is simply not used).
    const same = buildMlp({ input: 8, hidden: [5], output: 3 }, new Rng(2));
    expect(() => loadCheckpointInto(same, bytes)).not.toThrow();
    expect([...(same.params.get("W1")?.data ?? [])]).toEqual([...(model.params.get("W1")?.data ?? [])]);
  });

  it("refuses to resume on data of another size and an `until` outside the run", () => {
    const { x, labels } = randomData(30, 8, 3, 1);
    const model = buildMlp({ input: 8, hidden: [5], output: 3 }, new Rng(1));
    const options = { epochs: 3, batchSize: 10, learningRate: 0.1, seed: 1 };
    const result = train(model, { train: tensorSource(x, labels, 3) }, { ...options, until: 1 });
    const smaller = randomData(20, 8, 3, 2);
    expect(() => train(model, { train: tensorSource(smaller.x, smaller.labels, 3) }, { ...options, resume: result.state })).toThrow(/orders 30 samples, the data has 20/);
    expect(() => train(model, { train: tensorSource(x, labels, 3) }, { ...options, until: 4 })).toThrow(/until must be an epoch from 0 to 3, got 4/);
    expect(() => train(model, { train: tensorSource(x, labels, 3) }, { ...options, resume: result.state, until: 0 })).toThrow(/from 1 to 3/);
  });
});
