import { describe, expect, it } from "vitest";
import { Rng, Tensor, gradcheck, valueAndGrad } from "@gradspec/autograd";
import {
  BatchNorm,
  CheckpointError,
  SgdMomentum,
  buildMlp,
  divergenceMessage,
  encodeCheckpoint,
  evaluate,
  loadCheckpointInto,
  lossAndCost,
  schedule,
  tensorSource,
  train,
  batchBounds,
  type Sequential,
} from "@gradspec/nn";

function randomData(n: number, d: number, classes: number, seed: number): { x: Tensor; labels: number[] } {
  const rng = new Rng(seed);
  return { x: Tensor.randn([n, d], rng), labels: Array.from({ length: n }, () => rng.int(classes)) };
}

function networkGradcheck(model: Sequential, x: Tensor, labels: number[], lambda: number) {
  return gradcheck((_p: Record<string, Tensor>) => lossAndCost(model, x, labels, lambda, { training: true }).cost, model.paramRecord());
}

describe("k-layer networks pass the report's gradient check (Tables 1–8, scaled down)", () => {
  const hiddenFor = [[], [12], [12, 8], [12, 8, 6]];
  for (let k = 1; k <= 4; k++) {
    for (const batchNorm of [true, false]) {
      for (const lambda of [0, 0.01]) {
        it(`${k} layer(s), BN ${batchNorm ? "on" : "off"}, λ = ${lambda}`, () => {
          const { x, labels } = randomData(16, 20, 5, 100 + k);
          const model = buildMlp({ input: 20, hidden: hiddenFor[k - 1], output: 5, batchNorm: { enabled: batchNorm } }, new Rng(k));
          const report = networkGradcheck(model, x, labels, lambda);
          const names = report.parameters.map((p) => p.name);
          expect(names).toContain(`W${k}`);
          if (batchNorm && k > 1) expect(names).toContain("gamma1");
          const { grads } = valueAndGrad((_p: Record<string, Tensor>) => lossAndCost(model, x, labels, lambda, { training: true }).cost)(
            model.paramRecord(),
          );
          for (const p of report.parameters) {
            // The report's h = 1e-5 and ε = 1e-5; its MATLAB code reached 1e-3..1e-2 on W1.
            expect(p.max, `${p.name} max`).toBeLessThan(1e-5);
            const feedsBatchNorm = batchNorm && /^b\d+$/.test(p.name) && Number(p.name.slice(1)) < k;
            if (feedsBatchNorm) {
              // Batch norm subtracts the batch mean, so a bias before it has an exactly zero gradient;
              // its relative error only measures the centered difference's rounding noise.
              expect(Math.max(...grads[p.name].data.map(Math.abs)), `${p.name} gradient`).toBeLessThan(1e-14);
            } else {
              expect(p.mean, `${p.name} mean`).toBeLessThan(1e-7);
            }
          }
        });
      }
    }
  }
});

describe("training", () => {
  it("overfits 50 samples with a 4-layer BN network within 100 epochs (the report's §1.5)", () => {
    const { x, labels } = randomData(50, 100, 10, 7);
    const model = buildMlp({ input: 100, hidden: [50, 30, 20], output: 10, batchNorm: { enabled: true } }, new Rng(1));
    const result = train(
      model,
      { train: tensorSource(x, labels, 10) },
      { epochs: 100, batchSize: 50, learningRate: 0.02, momentum: 0.8, schedule: { type: "exponential", decay: 0.99 }, lambda: 0, seed: 1 },
    );
    expect(result.status).toBe("completed");
    expect(result.history).toHaveLength(101);
    expect(result.history[0].train?.accuracy).toBeLessThan(0.5);
    const final = result.history[100].train;
    expect(final?.accuracy).toBe(1);
    expect(final?.loss).toBeLessThan(result.history[0].train?.loss ?? 0);
  });

  it("the same seed gives identical histories; another seed does not", () => {
    const { x, labels } = randomData(60, 10, 3, 3);
    const run = (seed: number) => {
      const model = buildMlp({ input: 10, hidden: [8], output: 3, batchNorm: { enabled: true } }, new Rng(seed));
      const validation = tensorSource(...Object.values(randomData(20, 10, 3, 4)) as [Tensor, number[]], 3);
      return train(model, { train: tensorSource(x, labels, 3), validation }, { epochs: 3, batchSize: 16, learningRate: 0.05, momentum: 0.9, seed }).history.map(
        ({ seconds: _seconds, ...rest }) => rest,
      );
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it("stops a diverging run, names the epoch and batch, and keeps the history so far", () => {
    const { x, labels } = randomData(200, 30, 4, 9);
    for (let i = 0; i < x.size; i++) x.data[i] *= 50;
    const model = buildMlp({ input: 30, hidden: [20], output: 4, batchNorm: { enabled: false } }, new Rng(2));
    const result = train(model, { train: tensorSource(x, labels, 4) }, { epochs: 10, batchSize: 20, learningRate: 100, momentum: 0.9, seed: 1 });
    expect(result.status).toBe("diverged");
    expect(result.diverged?.epoch).toBeGreaterThanOrEqual(1);
    expect(result.diverged?.batch).toBeGreaterThanOrEqual(1);
    expect(result.history.length).toBe(result.diverged?.epoch);
    expect(Number.isFinite(result.diverged?.cost)).toBe(false);
  });

  it("with a divergence rule, a finite cost above costRatio × the first batch's ends the run before its update", () => {
    const { x, labels } = randomData(200, 30, 4, 9);
    const run = (divergence?: { costRatio: number }) => {
      const model = buildMlp({ input: 30, hidden: [20], output: 4, batchNorm: { enabled: false } }, new Rng(2));
      const costs: number[] = [];
      const result = train(model, { train: tensorSource(x, labels, 4) }, { epochs: 20, batchSize: 20, learningRate: 3, momentum: 0.9, seed: 1, ...(divergence ? { divergence } : {}) }, {
        onBatch: (p) => costs.push(p.cost),
      });
      return { result, costs };
    };
    const plain = run();
    const ruled = run({ costRatio: 20 });
    const d = ruled.result.diverged;
    expect(ruled.result.status).toBe("diverged");
    expect(d?.limit?.costRatio).toBe(20);
    expect(d?.limit?.firstCost).toBe(plain.costs[0]);
    expect(Number.isFinite(d?.cost)).toBe(true);
    expect(d?.cost).toBeGreaterThan(20 * plain.costs[0]);
    // Every batch before it stayed within the limit, and it is the batch the plain run took at that point.
    expect(Math.max(...ruled.costs)).toBeLessThanOrEqual(20 * plain.costs[0]);
    expect(plain.costs[ruled.costs.length]).toBe(d?.cost);
    expect(divergenceMessage(d ?? { epoch: 0, batch: 0, cost: 0 })).toMatch(/^diverged at epoch \d+, batch \d+ \(cost [\d.e+]+, above 20× the first batch's [\d.]+\)$/);
  });

  it("mini-batches cover every sample once; a lone remainder joins the batch before it", () => {
    expect(batchBounds(10, 4)).toEqual([0, 4, 8, 10]);
    expect(batchBounds(9, 4)).toEqual([0, 4, 9]);
    expect(batchBounds(8, 4)).toEqual([0, 4, 8]);
    expect(batchBounds(3, 100)).toEqual([0, 3]);
  });

  it("evaluation gives accuracy and a confusion matrix", () => {
    const model = buildMlp({ input: 2, hidden: [], output: 2, init: { type: "zeros" } }, new Rng(0));
    const W = model.params.get("W1") as Tensor;
    W.data.set([1, 0, 0, 1]);
    const x = Tensor.from([
      [2, 1],
      [0, 3],
      [5, 1],
    ]);
    const result = evaluate(model, tensorSource(x, [0, 0, 0], 2), { confusion: true });
    expect(result.accuracy).toBeCloseTo(2 / 3, 15);
    expect(result.confusion).toEqual([
      [2, 1],
      [0, 0],
    ]);
  });
});

describe("optimizers and schedules", () => {
  it("momentum variants follow their formulas", () => {
    const theta = Tensor.from([1]);
    const g = Tensor.from([0.5]);
    const params = new Map([["w", theta]]);
    const grads = new Map([["w", g]]);
    const report = new SgdMomentum({ momentum: 0.8, variant: "report" });
    report.step(params, grads, 0.1); // v = 0.05, θ = 0.95
    report.step(params, grads, 0.1); // v = 0.04 + 0.05 = 0.09, θ = 0.86
    expect(theta.data[0]).toBeCloseTo(0.86, 15);
    theta.data[0] = 1;
    const torch = new SgdMomentum({ momentum: 0.8, variant: "pytorch" });
    torch.step(params, grads, 0.1); // v = 0.5, θ = 0.95
    torch.step(params, grads, 0.2); // v = 0.9, θ = 0.95 − 0.18 = 0.77
    expect(theta.data[0]).toBeCloseTo(0.77, 15);
    theta.data[0] = 1;
    const nesterov = new SgdMomentum({ momentum: 0.8, variant: "nesterov" });
    nesterov.step(params, grads, 0.1); // v = 0.5, θ = 1 − 0.1·(0.5 + 0.4) = 0.91
    expect(theta.data[0]).toBeCloseTo(0.91, 15);
  });

  it("schedules", () => {
    expect(schedule({ type: "exponential", decay: 0.99 }, 0.02)(3, 0)).toBeCloseTo(0.02 * 0.99 ** 3, 15);
    const step = schedule({ type: "step", every: 5, factor: 0.5 }, 0.1);
    expect([0, 4, 5, 10].map((e) => step(e, 0))).toEqual([0.1, 0.1, 0.05, 0.025]);
    const cyclic = schedule({ type: "cyclic", min: 0.01, max: 0.11, stepSize: 10 }, 1);
    expect([0, 5, 10, 15, 20, 30].map((u) => cyclic(0, u))).toEqual([0.01, 0.060000000000000005, 0.11, 0.060000000000000005, 0.01, 0.11]);
  });
});

describe("checkpoints", () => {
  it("round trip is bit-identical, running statistics included", () => {
    const { x, labels } = randomData(30, 6, 3, 1);
    const model = buildMlp({ input: 6, hidden: [5], output: 3, batchNorm: { enabled: true } }, new Rng(1));
    train(model, { train: tensorSource(x, labels, 3) }, { epochs: 2, batchSize: 10, learningRate: 0.1, seed: 1 });
    const bytes = encodeCheckpoint(model, { note: "test" });
    const copy = buildMlp({ input: 6, hidden: [5], output: 3, batchNorm: { enabled: true } }, new Rng(99));
    const metadata = loadCheckpointInto(copy, bytes);
    expect(metadata.note).toBe("test");
    for (const [name, t] of [...model.params, ...model.buffers]) {
      const other = copy.params.get(name) ?? copy.buffers.get(name);
      expect(Buffer.from(other?.data.buffer ?? new ArrayBuffer(0)).equals(Buffer.from(t.data.buffer)), name).toBe(true);
    }
    const bn = model.layers.find((l) => l instanceof BatchNorm) as BatchNorm;
    expect(copy.buffers.get("runningMean1")?.toArray()).toEqual(bn.buffers.runningMean.toArray());
  });

  it("a mismatched load names the parameter and both shapes", () => {
    const model = buildMlp({ input: 6, hidden: [5], output: 3 }, new Rng(1));
    const wider = buildMlp({ input: 6, hidden: [7], output: 3 }, new Rng(1));
    expect(() => loadCheckpointInto(wider, encodeCheckpoint(model), "run/checkpoint.safetensors")).toThrow(
      new CheckpointError("run/checkpoint.safetensors: tensor W1 has shape [6, 5] in the checkpoint but [6, 7] in the network"),
    );
    const deeper = buildMlp({ input: 6, hidden: [5, 4], output: 3 }, new Rng(1));
    expect(() => loadCheckpointInto(deeper, encodeCheckpoint(model), "c")).toThrow(/tensor W2 has shape \[5, 3\] in the checkpoint but \[5, 4\]/);
  });
});
