import { describe, expect, it } from "vitest";
import { Rng, Tensor } from "@gradspec/autograd";
import { Sequential, encodeCheckpoint, loadTrainingCheckpoint, tensorSource, train, type TrainState } from "@gradspec/nn";

const rng = new Rng(5);
const x = Tensor.randn([120, 6], rng, 2);
const labels = Int32Array.from({ length: 120 }, (_, i) => i % 3);
const data = () => ({ train: tensorSource(x, labels, 3), validation: tensorSource(Tensor.randn([40, 6], new Rng(6), 2), Int32Array.from({ length: 40 }, (_, i) => (i * 7) % 3), 3) });
const build = () => Sequential.fromConfigs(6, [{ type: "linear", units: 32 }, { type: "relu" }, { type: "linear", units: 3 }], new Rng(2));
// Random labels: validation loss soon rises while training loss falls, so early stopping has work to do.
const options = { epochs: 60, batchSize: 20, learningRate: 0.02, seed: 3, optimizer: { type: "adam" }, earlyStopping: { metric: "loss" as const, patience: 3 } };

describe("early stopping", () => {
  it("stops after `patience` epochs without improvement and puts the best epoch's parameters back", () => {
    const model = build();
    const snapshots = new Map<number, Float64Array>();
    const result = train(model, data(), options, { onEpoch: (m) => snapshots.set(m.epoch, Float64Array.from(model.params.get("W1")!.data)) });
    const stopped = result.stopped!;
    expect(stopped.epoch).toBeLessThan(60);
    expect(stopped.epoch - stopped.bestEpoch).toBe(3);
    const losses = result.history.map((m) => m.validation!.loss);
    expect(stopped.best).toBe(Math.min(...losses.slice(1)));
    expect(result.history[stopped.bestEpoch]!.validation!.loss).toBe(stopped.best);
    expect(Array.from(model.params.get("W1")!.data)).toEqual(Array.from(snapshots.get(stopped.bestEpoch)!));
    expect(Array.from(model.params.get("W1")!.data)).not.toEqual(Array.from(snapshots.get(stopped.epoch)!));
  });

  it("minDelta: only improvements larger than it count", () => {
    const strict = train(build(), data(), { ...options, earlyStopping: { metric: "loss", patience: 3, minDelta: 10 } });
    expect(strict.stopped).toMatchObject({ epoch: 4, bestEpoch: 1 });
    const accuracy = train(build(), data(), { ...options, earlyStopping: { metric: "accuracy", patience: 2 } });
    expect(accuracy.stopped!.best).toBe(Math.max(...accuracy.history.slice(1, accuracy.stopped!.bestEpoch + 1).map((m) => m.validation!.accuracy)));
  });

  it("a run resumed from a checkpoint before the stop stops at the same epoch with the same parameters", () => {
    const whole = build();
    const expected = train(whole, data(), options);
    const model = build();
    const states: TrainState[] = [];
    train(model, data(), { ...options, until: expected.stopped!.epoch - 1 }, { onState: (s) => states.push(s) });
    const bytes = encodeCheckpoint(model, {}, states[states.length - 1]);
    const fresh = build();
    const { state } = loadTrainingCheckpoint(fresh, bytes);
    const rest = train(fresh, data(), { ...options, resume: state! });
    expect(rest.stopped).toEqual(expected.stopped);
    expect(rest.history.map((m) => m.validation!.loss)).toEqual(expected.history.slice(-rest.history.length).map((m) => m.validation!.loss));
    expect(Array.from(fresh.params.get("W2")!.data)).toEqual(Array.from(whole.params.get("W2")!.data));
    expect(() => train(build(), data(), { ...options, resume: rest.state! })).toThrow(/stopped early at epoch/);
  });

  it("needs a validation split", () => {
    expect(() => train(build(), { train: tensorSource(x, labels, 3) }, options)).toThrow("train: early stopping watches the validation split, and there is none");
  });
});
