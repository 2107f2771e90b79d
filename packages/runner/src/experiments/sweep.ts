import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { isSuccessful } from "../report/types.js";
import type { RunSummary, SweepStageSummary, TrainedRun } from "../run/summary.js";
import type { SweepSpec } from "../spec/types.js";
import { runController } from "../sweep/controller.js";
import { rankTrials, type StagePlan } from "../sweep/core/next-steps.js";
import type { TrialExecutor } from "../sweep/executors/executor.js";
import { openLocalExecutor } from "../sweep/open-executor.js";
import type { TrialRecord } from "../sweep/trials-log.js";
import type { ExperimentContext } from "./train.js";

type SweepResult = Pick<RunSummary, "status" | "message" | "sweep">;

export interface SweepContext extends ExperimentContext {
  /** Opens the executor that runs the trials (default: worker threads of this machine, or this thread). */
  openExecutor?: () => Promise<TrialExecutor>;
  signal?: AbortSignal;
}

/**
 * Coarse-to-fine search with optional early termination: stages run in order, each trial's values
 * depend only on (sweep seed, stage, index), and the controller records every trial as it finishes in
 * trials.jsonl, so running the same spec into the same folder again resumes it.
 */
export async function runSweep(spec: SweepSpec, raw: Record<string, unknown>, ctx: SweepContext): Promise<SweepResult> {
  const sweep = spec.sweep;
  const specDir = dirname(ctx.specFile);
  const local = (): Promise<TrialExecutor> =>
    openLocalExecutor({ parallel: sweep.parallel ?? availableParallelism(), specDir, folder: ctx.folder, log: (line) => ctx.progress.log(line) });
  const open = ctx.openExecutor ?? local;
  const openExecutor = async (): Promise<TrialExecutor> => {
    const executor = await open();
    ctx.progress.log(`trials run on ${executor.name}`);
    return executor;
  };
  const outcome = await runController(spec, raw, { folder: ctx.folder, progress: ctx.progress, openExecutor, ...(ctx.signal === undefined ? {} : { signal: ctx.signal }) });
  const stages = outcome.plans.map((plan) => stageSummary(plan, outcome.records, sweep.goal));
  const result: SweepResult = {
    status: "completed",
    sweep: { metric: sweep.metric, goal: sweep.goal, parameters: Object.keys(sweep.parameters), stages },
  };
  const finals = [...outcome.records.values()].filter((r) => r.stage === sweep.stages.length + 1).sort((a, b) => a.index - b.index);
  if (sweep.final !== undefined && result.sweep) result.sweep.final = finals.map(finalRun);
  const failed = [...stages.flatMap((s) => s.trials), ...finals].filter((t) => t.status === "failed").length;
  const last = stages[stages.length - 1];
  if (outcome.failure !== undefined) {
    result.status = "failed";
    result.message = outcome.failure;
  } else if (failed > 0) {
    result.status = "failed";
    result.message = `${failed} trial(s) failed; run the same command with --out ${ctx.folder.path} to retry them`;
  } else if (last !== undefined && !last.trials.some(isSuccessful)) {
    result.status = "failed";
    result.message = `no trial of stage ${last.name} completed (${outcomeCounts(last.trials)}), so there is no best trial${sweep.final === undefined ? "" : " to retrain"}; narrow the ranges (e.g. lower learning rates)`;
  }
  return result;
}

/** "3 diverged, 1 pruned" */
function outcomeCounts(trials: readonly { status: string }[]): string {
  const counts = new Map<string, number>();
  for (const t of trials) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(", ");
}

export function stageSummary(plan: StagePlan, records: ReadonlyMap<string, TrialRecord>, goal: "maximize" | "minimize"): SweepStageSummary {
  const trials = plan.trials.map((_, i) => records.get(`${plan.number}-${i}`)).filter((r): r is TrialRecord => r !== undefined);
  const ranked = rankTrials(trials.map((r) => ({ ...r, state: r.status, decisions: r.decisions ?? [] })), goal);
  return {
    name: plan.stage.name,
    epochs: plan.stage.epochs,
    ranges: plan.ranges,
    ...(plan.stage.earlyTerminate === undefined ? {} : { earlyTerminate: plan.stage.earlyTerminate }),
    trials: ranked.map((r) => ({
      id: r.id,
      index: r.index,
      params: numericParams(r.params),
      metric: r.metric,
      status: r.status === "completed" ? "ok" : r.status,
      epochs: r.epochs,
      curve: r.curve,
      ...(r.decisions.length > 0 ? { decisions: r.decisions } : {}),
      ...(r.message ? { message: r.message } : {}),
    })),
  };
}

export function finalRun(record: TrialRecord, i: number): TrainedRun {
  const values = Object.entries(numericParams(record.params)).map(([k, v]) => `${k.split(".").pop() ?? k}=${v.toPrecision(6)}`);
  const run: TrainedRun = {
    name: `final ${i + 1} (${values.join(", ")})`,
    status: record.status === "diverged" ? "diverged" : "completed",
    final: record.final ?? {},
    history: record.history ?? [],
    seconds: record.seconds,
  };
  if (record.status === "failed") run.status = "failed";
  if (record.message !== undefined) run.message = record.message;
  if (record.diverged !== undefined) run.diverged = record.diverged;
  return run;
}

function numericParams(params: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, number] => typeof e[1] === "number"));
}
