import { describe, expect, it } from "vitest";
import { nextSteps, rankTrials } from "../packages/runner/src/sweep/core/next-steps.js";
import type { TrialState, TrialView } from "../packages/runner/src/sweep/core/history.js";
import { keptAtRung, makePruner, quantile } from "../packages/runner/src/sweep/core/pruners.js";
import { randomTrial } from "../packages/runner/src/sweep/sample.js";
import type { EarlyTerminate, SweepSection, SweepStage } from "../packages/runner/src/spec/types.js";

const parameters = { "training.learningRate": { logUniform: [1e-3, 1] as [number, number] } };

function stage(name: string, trials: number, epochs: number, earlyTerminate?: EarlyTerminate, extra: Partial<SweepStage> = {}): SweepStage {
  return { name, trials, epochs, parameters, ...(earlyTerminate === undefined ? {} : { earlyTerminate }), ...extra };
}

function sweepOf(stages: SweepStage[], extra: Partial<SweepSection> = {}): SweepSection {
  return { method: "random", seed: 3, metric: "validation.accuracy", goal: "maximize", parameters, stages, top: 3, ...extra };
}

function view(stageNumber: number, index: number, state: TrialState, curve: number[], extra: Partial<TrialView> = {}): TrialView {
  return { stage: stageNumber, index, state, curve, metric: state === "completed" ? curve[curve.length - 1] : Number.NaN, decisions: [], ...extra };
}

const SH: EarlyTerminate = { type: "successiveHalving", rungs: [1, 3], reductionFactor: 3 };
// Values at epoch 1 of trials 0..8: the best three are 4 (0.9), 7 (0.8) and 1 (0.7).
const AT_RUNG_1 = [0.2, 0.7, 0.1, 0.3, 0.9, 0.4, 0.5, 0.8, 0.6];

describe("the sweep core: what to run next, from a hand-written history", () => {
  it("starts every trial of the first stage, each to the first rung, with values fixed by (seed, stage, index)", () => {
    const step = nextSteps(sweepOf([stage("s", 9, 9, SH)]), []);
    expect(step.done).toBe(false);
    expect(step.prune).toEqual([]);
    expect(step.start.map((o) => [o.index, o.from, o.until])).toEqual(AT_RUNG_1.map((_, i) => [i, 0, 1]));
    expect(step.start[4].params).toEqual(randomTrial(parameters, 3, 0, 4));
  });

  it("successive halving waits at a rung until no trial can still reach it (a barrier)", () => {
    const sweep = sweepOf([stage("s", 9, 9, SH)]);
    const history = AT_RUNG_1.map((v, i) => view(1, i, "paused", [v]));
    history[2] = view(1, 2, "running", []);
    const step = nextSteps(sweep, history);
    expect(step.start).toEqual([]);
    expect(step.prune).toEqual([]);
    // A trial that failed before the rung does not hold it up (8 reached it: 2 are kept).
    history[2] = view(1, 2, "failed", []);
    const step2 = nextSteps(sweep, history);
    expect(step2.start.map((o) => o.index)).toEqual([4, 7]);
    expect(step2.prune.length).toBe(6);
  });

  it("successive halving keeps exactly the best ⌊n/η⌋ at a rung and prunes the rest, whatever the order", () => {
    const sweep = sweepOf([stage("s", 9, 9, SH)]);
    const history = AT_RUNG_1.map((v, i) => view(1, i, "paused", [v]));
    const step = nextSteps(sweep, history);
    expect(step.start.map((o) => [o.index, o.from, o.until])).toEqual([[1, 1, 3], [4, 1, 3], [7, 1, 3]]);
    expect(step.prune.map((p) => p.index).sort()).toEqual([0, 2, 3, 5, 6, 8]);
    const worst = step.prune.find((p) => p.index === 2);
    expect(worst?.decision).toMatchObject({ epoch: 1, rule: "successiveHalving", verdict: "stop", value: 0.1, threshold: 0.7, of: 9, rank: 9, kept: 3 });
    // The same verdicts from the history in another order, and for the minimize goal the mirror image.
    expect(nextSteps(sweep, [...history].reverse()).prune.map((p) => p.index).sort()).toEqual([0, 2, 3, 5, 6, 8]);
    const minimize = nextSteps({ ...sweep, goal: "minimize" }, history);
    expect(minimize.start.map((o) => o.index)).toEqual([0, 2, 3]);
  });

  it("after a restart with part of a rung's verdicts applied, the rest are the same as before", () => {
    const sweep = sweepOf([stage("s", 9, 9, SH)]);
    const history = AT_RUNG_1.map((v, i) => view(1, i, "paused", [v]));
    history[0] = view(1, 0, "pruned", [0.2]);
    history[4] = view(1, 4, "running", [0.9]);
    const step = nextSteps(sweep, history);
    expect(step.start.map((o) => o.index)).toEqual([1, 7]);
    expect(step.prune.map((p) => p.index).sort()).toEqual([2, 3, 5, 6, 8]);
  });

  it("successive halving at the second rung ranks the trials that reached it and keeps one of three", () => {
    const sweep = sweepOf([stage("s", 9, 9, SH)]);
    const history = AT_RUNG_1.map((v, i) => view(1, i, "pruned", [v]));
    history[1] = view(1, 1, "paused", [0.7, 0.71, 0.72]);
    history[4] = view(1, 4, "paused", [0.9, 0.5, 0.6]);
    history[7] = view(1, 7, "running", [0.8]);
    expect(nextSteps(sweep, history).prune).toEqual([]);
    history[7] = view(1, 7, "paused", [0.8, 0.8, 0.75]);
    const step = nextSteps(sweep, history);
    expect(step.start.map((o) => [o.index, o.from, o.until])).toEqual([[7, 3, 9]]);
    expect(step.prune.map((p) => p.index).sort()).toEqual([1, 4]);
  });

  it("a trial with a NaN value at a rung is pruned even when it would be kept by count", () => {
    const sweep = sweepOf([stage("s", 2, 9, { type: "successiveHalving", rungs: [1], reductionFactor: 2 })]);
    const step = nextSteps(sweep, [view(1, 0, "paused", [Number.NaN]), view(1, 1, "paused", [Number.NaN])]);
    expect(step.start).toEqual([]);
    expect(step.prune.length).toBe(2);
  });

  it("ASHA judges each trial on arrival against the rung's values so far, and keeps a recorded verdict", () => {
    const asha: EarlyTerminate = { type: "asha", rungs: [1, 3], reductionFactor: 3 };
    const sweep = sweepOf([stage("s", 3, 9, asha)]);
    // Alone at the rung: it goes on.
    let step = nextSteps(sweep, [view(1, 0, "paused", [0.5]), view(1, 1, "running", []), view(1, 2, "running", [])]);
    expect(step.start.map((o) => [o.index, o.from, o.until, o.decision?.verdict])).toEqual([[0, 1, 3, "continue"]]);
    // Second, below the 2/3 quantile of [0.5, 0.3]: stopped; no barrier waits for trial 2.
    step = nextSteps(sweep, [view(1, 0, "running", [0.5]), view(1, 1, "paused", [0.3]), view(1, 2, "running", [])]);
    expect(step.prune.map((p) => [p.index, p.decision.threshold])).toEqual([[1, quantile([0.5, 0.3], 2 / 3)]]);
    // A verdict recorded before a restart stands although the values now say otherwise.
    const kept = { epoch: 1, rule: "asha" as const, verdict: "continue" as const, value: 0.3, threshold: Number.NaN, of: 1 };
    step = nextSteps(sweep, [view(1, 0, "running", [0.5]), view(1, 1, "paused", [0.3], { decisions: [kept] }), view(1, 2, "running", [])]);
    expect(step.start.map((o) => o.index)).toEqual([1]);
    expect(step.prune).toEqual([]);
  });

  it("median stopping prunes a trial whose best so far is below the others' median, once minTrials others have a value", () => {
    const median: EarlyTerminate = { type: "median", minEpochs: 2, minTrials: 2 };
    const sweep = sweepOf([stage("s", 4, 5, median)]);
    expect(makePruner(median, 5).nextStop(0)).toBe(2);
    expect(makePruner(median, 5).nextStop(2)).toBe(3);
    expect(makePruner(median, 5).nextStop(4)).toBe(5);
    // Only one other trial has epoch 2: it goes on.
    let step = nextSteps(sweep, [view(1, 0, "paused", [0.1, 0.2]), view(1, 1, "running", [0.3, 0.4]), view(1, 2, "running", []), view(1, 3, "running", [])]);
    expect(step.start.map((o) => [o.index, o.from, o.until])).toEqual([[0, 2, 3]]);
    // Trial 0 (best 0.45) against 0.4, 0.6 and trial 3's 0.55 (median 0.55): stopped; trial 3 (0.55)
    // against 0.2, 0.4, 0.6 (median 0.4): goes on.
    const others = [view(1, 1, "running", [0.3, 0.4]), view(1, 2, "completed", [0.5, 0.6, 0.6, 0.6, 0.6])];
    step = nextSteps(sweep, [view(1, 0, "paused", [0.45, 0.2]), ...others, view(1, 3, "paused", [0.1, 0.55])]);
    expect(step.prune.map((p) => [p.index, p.decision.value, p.decision.threshold])).toEqual([[0, 0.45, 0.55]]);
    expect(step.start.map((o) => o.index)).toEqual([3]);
  });

  it("goes through the stages in order, refines from the completed trials, then retrains the best", () => {
    const sweep = sweepOf([stage("coarse", 3, 2), stage("fine", 2, 2, undefined, { refine: { top: 2, expand: 0 }, parameters: {} })], { final: { top: 2, set: {} } });
    const coarse = [view(1, 0, "completed", [0.3, 0.4]), view(1, 1, "diverged", [0.1]), view(1, 2, "completed", [0.5, 0.6])];
    const step = nextSteps(sweep, coarse);
    expect(step.plans.length).toBe(2);
    const lr = (i: number): number => step.plans[0].trials[i]["training.learningRate"] as number;
    const [low, high] = [Math.min(lr(0), lr(2)), Math.max(lr(0), lr(2))];
    expect(step.plans[1].ranges["training.learningRate"]).toEqual({ logUniform: [expect.closeTo(low, 12), expect.closeTo(high, 12)] });
    expect(step.start.map((o) => [o.stage, o.index, o.from, o.until])).toEqual([[2, 0, 0, 2], [2, 1, 0, 2]]);

    const fine = [view(2, 0, "completed", [0.5, 0.55]), view(2, 1, "completed", [0.5, 0.65])];
    const finals = nextSteps(sweep, [...coarse, ...fine]);
    expect(finals.start.map((o) => [o.stage, o.index, o.final, o.until])).toEqual([[3, 0, true, undefined], [3, 1, true, undefined]]);
    expect(finals.start[0].params).toEqual(finals.plans[1].trials[1]);
    expect(finals.done).toBe(false);
    const all = [...coarse, ...fine, view(3, 0, "completed", [0.6]), view(3, 1, "running", [])];
    expect(nextSteps(sweep, all)).toMatchObject({ start: [], done: false });
    all[all.length - 1] = view(3, 1, "completed", [0.6]);
    expect(nextSteps(sweep, all)).toMatchObject({ start: [], done: true });
  });

  it("a stage that cannot refine (no trial of the one before completed) is a failure, not a crash", () => {
    const sweep = sweepOf([stage("coarse", 2, 1), stage("fine", 2, 1, undefined, { refine: { top: 2, expand: 0 }, parameters: {} })]);
    const step = nextSteps(sweep, [view(1, 0, "diverged", []), view(1, 1, "failed", [])]);
    expect(step.failure).toMatch(/^stage fine: no trial of the stage before completed/);
    expect(step.start).toEqual([]);
  });

  it("ranks completed trials by metric, then pruned ones by how far they got, then the rest by index", () => {
    const ranked = rankTrials(
      [view(1, 0, "failed", []), view(1, 1, "pruned", [0.9]), view(1, 2, "completed", [0.4]), view(1, 3, "pruned", [0.2, 0.3]), view(1, 4, "completed", [0.6]), view(1, 5, "diverged", [])],
      "maximize",
    );
    expect(ranked.map((t) => t.index)).toEqual([4, 2, 3, 1, 0, 5]);
    expect(keptAtRung(2, 3)).toBe(1);
    expect(keptAtRung(300, 3)).toBe(100);
  });
});
