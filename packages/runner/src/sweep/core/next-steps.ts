import type { Distribution, SweepSection, SweepStage } from "../../spec/types.js";
import { refineRanges } from "../sample.js";
import { FINISHED, compareValues, type Decision, type Goal, type TrialView } from "./history.js";
import { makePruner } from "./pruners.js";
import { makeSampler } from "./samplers.js";

/** One stage with its ranges and the values of each of its trials. */
export interface StagePlan {
  /** 1-based. */
  number: number;
  stage: SweepStage;
  ranges: Record<string, Distribution>;
  trials: Record<string, unknown>[];
}

/** Train trial (stage, index) from epoch `from` (0: from scratch) to `until`. */
export interface SegmentOrder {
  stage: number;
  index: number;
  params: Record<string, unknown>;
  from: number;
  /** Absent for final retrainings: to their last epoch. */
  until?: number;
  final: boolean;
  /** The verdict that let a paused trial go on. */
  decision?: Decision;
}

export interface Pruning {
  stage: number;
  index: number;
  decision: Decision;
}

export interface SweepStep {
  /** The stages planned so far, in order; the one under way is last. */
  plans: StagePlan[];
  /** Segments to run (trials not started, and paused trials allowed to go on). */
  start: SegmentOrder[];
  /** Paused trials to record as pruned. */
  prune: Pruning[];
  /** Retrainings of the last stage's best (stage `stages.length + 1`), once every stage has finished. */
  finals: Record<string, unknown>[];
  /** Every stage and every final retraining has finished. */
  done: boolean;
  /** Why the sweep cannot go on (e.g. no trial of a stage completed for the next one to refine from). */
  failure?: string;
}

/**
 * What a sweep does next, given everything its trials have reported: the wandb-style `next_run` of
 * gradspec. Pure and cheap enough to call after every event; trial i of a stage is always the same
 * values, and a verdict depends only on the history it is given.
 */
export function nextSteps(sweep: SweepSection, history: readonly TrialView[]): SweepStep {
  const sampler = makeSampler(sweep);
  const plans: StagePlan[] = [];
  let previous: TrialView[] = [];
  for (const [s, stage] of sweep.stages.entries()) {
    const number = s + 1;
    const before = plans[plans.length - 1];
    const ranges = stageRanges(sweep.parameters, stage, previous.filter((t) => t.state === "completed").map((t) => before.trials[t.index]));
    if (typeof ranges === "string") {
      return { plans, start: [], prune: [], finals: [], done: false, failure: `stage ${stage.name}: ${ranges}` };
    }
    const plan: StagePlan = { number, stage, ranges, trials: sampler.trials(ranges, stage, s) };
    plans.push(plan);
    const views = history.filter((t) => t.stage === number && t.index < plan.trials.length);
    if (views.length < plan.trials.length || views.some((t) => !FINISHED.has(t.state))) {
      return { plans, ...stageSteps(plan, views, sweep.goal), finals: [], done: false };
    }
    previous = rankTrials(views, sweep.goal);
  }
  const finals = sweep.final === undefined ? [] : previous.filter((t) => t.state === "completed").slice(0, sweep.final.top);
  const finalStage = sweep.stages.length + 1;
  const paramsOf = (t: TrialView): Record<string, unknown> => plans[plans.length - 1].trials[t.index];
  const started = new Set(history.filter((t) => t.stage === finalStage).map((t) => t.index));
  const start: SegmentOrder[] = finals
    .map((t, i) => ({ stage: finalStage, index: i, params: paramsOf(t), from: 0, final: true }))
    .filter((order) => !started.has(order.index));
  const done = finals.every((_, i) => history.some((t) => t.stage === finalStage && t.index === i && FINISHED.has(t.state)));
  return { plans, start, prune: [], finals: finals.map(paramsOf), done };
}

/** The segments and prunings of the stage under way. */
function stageSteps(plan: StagePlan, views: readonly TrialView[], goal: Goal): Pick<SweepStep, "start" | "prune"> {
  const pruner = makePruner(plan.stage.earlyTerminate, plan.stage.epochs);
  const start: SegmentOrder[] = [];
  const prune: Pruning[] = [];
  const seen = new Set(views.map((t) => t.index));
  plan.trials.forEach((params, index) => {
    if (!seen.has(index)) start.push({ stage: plan.number, index, params, from: 0, until: pruner.nextStop(0), final: false });
  });
  for (const [index, decision] of pruner.decide(views, plan.trials.length, goal)) {
    const epoch = decision.epoch;
    if (decision.verdict === "stop") prune.push({ stage: plan.number, index, decision });
    else start.push({ stage: plan.number, index, params: plan.trials[index], from: epoch, until: pruner.nextStop(epoch), final: false, decision });
  }
  return { start, prune };
}

/** A stage's ranges; with refine, from the values of the stage before's completed trials, best first. */
function stageRanges(base: Record<string, Distribution>, stage: SweepStage, completed: readonly Record<string, unknown>[]): Record<string, Distribution> | string {
  if (stage.refine === undefined) return { ...base, ...stage.parameters };
  const best = completed.slice(0, stage.refine.top);
  if (best.length === 0) return "no trial of the stage before completed, so there is nothing to refine the ranges from";
  return { ...refineRanges(base, best, stage.refine.expand), ...stage.parameters };
}

/**
 * Best first: completed trials by their metric; then pruned ones, those that trained longest first,
 * each group by its last value; then diverged and failed trials in index order. Ties keep index order.
 */
export function rankTrials<T extends TrialView>(trials: readonly T[], goal: Goal): T[] {
  const group = (t: TrialView): number => (t.state === "completed" ? 0 : t.state === "pruned" ? 1 : 2);
  const last = (t: TrialView): number => (t.curve.length > 0 ? t.curve[t.curve.length - 1] : Number.NaN);
  return [...trials].sort((a, b) => {
    const g = group(a) - group(b);
    if (g !== 0) return g;
    if (group(a) === 0) return compareValues(a.metric, b.metric, goal) || a.index - b.index;
    if (group(a) === 1) return b.curve.length - a.curve.length || compareValues(last(a), last(b), goal) || a.index - b.index;
    return a.index - b.index;
  });
}
