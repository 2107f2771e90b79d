import type { EarlyTerminateType } from "../../spec/types.js";

export type Goal = "maximize" | "minimize";

/** Where a trial stands. Trials that have not started are not in the history at all. */
export type TrialState =
  /** A segment of its training is running somewhere. */
  | "running"
  /** It has trained `curve.length` epochs and waits for a pruner's verdict (state saved). */
  | "paused"
  | "completed"
  | "diverged"
  | "failed"
  /** Stopped by a pruner after `curve.length` epochs. */
  | "pruned";

export const FINISHED: ReadonlySet<TrialState> = new Set(["completed", "diverged", "failed", "pruned"]);

/** One verdict of a pruner about one trial, kept with the trial so a report can show it. */
export interface Decision {
  /** The epoch the trial had trained when it was judged. */
  epoch: number;
  rule: EarlyTerminateType;
  verdict: "continue" | "stop";
  /** The trial's value that was compared (median: its best so far). */
  value: number;
  /** What it was compared with: the rung's cutoff (successive halving, ASHA) or the median. NaN: nothing to compare with yet. */
  threshold: number;
  /** How many trials' values at this epoch the comparison saw (the trial itself included, except for median). */
  of: number;
  /** Successive halving: the trial's place among them (1 = best) and how many were kept. */
  rank?: number;
  kept?: number;
}

/** A trial as the sweep core sees it: what it has reported so far. */
export interface TrialView {
  /** 1-based; the final retrainings are stage `stages.length + 1`. */
  stage: number;
  index: number;
  state: TrialState;
  /** The metric after each epoch trained so far: curve[e − 1] is epoch e's value. */
  curve: readonly number[];
  /** Completed trials: the metric that ranks them (at their last epoch); otherwise NaN. */
  metric: number;
  decisions: readonly Decision[];
}

/** −1 when a is better than b, 1 when worse; NaN is worse than any number. */
export function compareValues(a: number, b: number, goal: Goal): number {
  const fa = Number.isFinite(a);
  const fb = Number.isFinite(b);
  if (fa !== fb) return fa ? -1 : 1;
  if (!fa || a === b) return 0;
  return (goal === "maximize" ? b - a : a - b) < 0 ? -1 : 1;
}
