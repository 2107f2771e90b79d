import type { EarlyTerminate } from "../../spec/types.js";
import { FINISHED, compareValues, type Decision, type Goal, type TrialView } from "./history.js";

/** Decides when a stage's trials stop to be judged, and judges them. Pure: the same views, the same verdicts. */
export interface Pruner {
  /** The epoch a trial that has trained `epoch` epochs trains to before it waits for a verdict. */
  nextStop(epoch: number): number;
  /**
   * Verdicts for paused trials, by index. A paused trial with no verdict waits (successive halving's
   * barrier). `trials` are every trial of the stage that has started; `size` is how many it has in all.
   */
  decide(trials: readonly TrialView[], size: number, goal: Goal): Map<number, Decision>;
}

export function makePruner(rule: EarlyTerminate | undefined, epochs: number): Pruner {
  if (rule === undefined) return { nextStop: () => epochs, decide: () => new Map() };
  switch (rule.type) {
    case "successiveHalving":
      return successiveHalving(rule.rungs, rule.reductionFactor, epochs);
    case "asha":
      return asha(rule.rungs, rule.reductionFactor, epochs);
    case "median":
      return medianStopping(rule.minEpochs, rule.minTrials, epochs);
  }
}

function nextRung(rungs: readonly number[], epochs: number): (epoch: number) => number {
  return (epoch) => rungs.find((r) => r > epoch && r < epochs) ?? epochs;
}

/** How many of `reached` trials successive halving keeps at a rung: ⌊reached/η⌋, at least one. */
export function keptAtRung(reached: number, reductionFactor: number): number {
  return Math.max(1, Math.floor(reached / reductionFactor));
}

/** The value of each trial that reached `epoch`, with its index. */
function reachedAt(trials: readonly TrialView[], epoch: number): { index: number; value: number }[] {
  return trials.filter((t) => t.curve.length >= epoch).map((t) => ({ index: t.index, value: t.curve[epoch - 1] }));
}

/**
 * A verdict for every paused trial, from `judge`, except that one already recorded for its epoch (a
 * controller restarted after making it) is kept: rules that judge on arrival would not make it again.
 */
function judgeOnArrival(trials: readonly TrialView[], judge: (trial: TrialView, epoch: number) => Decision): Map<number, Decision> {
  const verdicts = new Map<number, Decision>();
  for (const trial of trials) {
    if (trial.state !== "paused") continue;
    const epoch = trial.curve.length;
    verdicts.set(trial.index, trial.decisions.find((d) => d.epoch === epoch) ?? judge(trial, epoch));
  }
  return verdicts;
}

/**
 * Synchronous successive halving: at rung r, once no trial can still reach r (every one has finished or
 * trained at least r epochs), the trials that reached r are ranked by their value at r and the best
 * ⌊n/η⌋ go on. Decisions depend only on the values, never on the order trials arrived in.
 */
function successiveHalving(rungs: readonly number[], reductionFactor: number, epochs: number): Pruner {
  return {
    nextStop: nextRung(rungs, epochs),
    decide(trials, size, goal) {
      const verdicts = new Map<number, Decision>();
      if (trials.length < size) return verdicts; // some trial has not even started: no rung is complete
      for (const rung of rungs) {
        const waiting = trials.filter((t) => t.state === "paused" && t.curve.length === rung);
        if (waiting.length === 0) continue;
        const settled = trials.every((t) => FINISHED.has(t.state) || t.curve.length >= rung);
        if (!settled) continue;
        const ranked = reachedAt(trials, rung).sort((a, b) => compareValues(a.value, b.value, goal) || a.index - b.index);
        const kept = keptAtRung(ranked.length, reductionFactor);
        const threshold = ranked[kept - 1]?.value ?? Number.NaN;
        for (const trial of waiting) {
          const place = ranked.findIndex((r) => r.index === trial.index);
          const value = trial.curve[rung - 1];
          const verdict = place < kept && Number.isFinite(value) ? "continue" : "stop";
          verdicts.set(trial.index, { epoch: rung, rule: "successiveHalving", verdict, value, threshold, of: ranked.length, rank: place + 1, kept });
        }
      }
      return verdicts;
    },
  };
}

/**
 * Asynchronous successive halving as Ray Tune's ASHA scheduler does it: a trial at a rung goes on when
 * its value is at least the (1 − 1/η) quantile of the values recorded at that rung so far (for
 * minimize, at most the 1/η quantile). Which trials have arrived first changes the verdicts.
 */
function asha(rungs: readonly number[], reductionFactor: number, epochs: number): Pruner {
  const stop = nextRung(rungs, epochs);
  return {
    nextStop: stop,
    decide: (trials, _size, goal) =>
      judgeOnArrival(trials, (trial, epoch) => {
        const value = trial.curve[epoch - 1];
        if (!rungs.includes(epoch)) return { epoch, rule: "asha", verdict: "continue", value, threshold: Number.NaN, of: 0 };
        const values = reachedAt(trials, epoch).map((r) => r.value).filter(Number.isFinite);
        const threshold = quantile(values, goal === "maximize" ? 1 - 1 / reductionFactor : 1 / reductionFactor);
        const good = Number.isFinite(value) && (goal === "maximize" ? value >= threshold : value <= threshold);
        return { epoch, rule: "asha", verdict: good ? "continue" : "stop", value, threshold, of: values.length };
      }),
  };
}

/**
 * The median stopping rule (Google Vizier; Optuna's MedianPruner, Ray Tune's MedianStoppingRule): from
 * epoch minEpochs on, after every epoch, a trial whose best value so far is worse than the median of the
 * other trials' values at that epoch is stopped, once at least minTrials other trials have one.
 */
function medianStopping(minEpochs: number, minTrials: number, epochs: number): Pruner {
  return {
    nextStop: (epoch) => Math.min(epochs, Math.max(minEpochs, epoch + 1)),
    decide: (trials, _size, goal) =>
      judgeOnArrival(trials, (trial, epoch) => {
        const best = trial.curve.reduce((b, v) => (compareValues(v, b, goal) < 0 ? v : b), Number.NaN);
        const others = reachedAt(trials, epoch).filter((r) => r.index !== trial.index && Number.isFinite(r.value)).map((r) => r.value);
        if (epoch < minEpochs || others.length < minTrials) return { epoch, rule: "median", verdict: "continue", value: best, threshold: Number.NaN, of: others.length };
        const threshold = quantile(others, 0.5);
        const worse = compareValues(best, threshold, goal) > 0;
        return { epoch, rule: "median", verdict: worse ? "stop" : "continue", value: best, threshold, of: others.length };
      }),
  };
}

/** The q-quantile with linear interpolation between order statistics (numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}
