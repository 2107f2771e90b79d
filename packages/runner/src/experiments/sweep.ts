import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import type { Progress } from "../run/progress.js";
import type { RunSummary, SweepStageSummary, TrainedRun } from "../run/summary.js";
import { deriveTrainSpec, SpecError } from "../spec/index.js";
import type { Distribution, SweepSpec, SweepStage } from "../spec/types.js";
import { DataCache } from "../data/data-cache.js";
import type { TrialJob } from "../sweep/messages.js";
import { openTrialRunner } from "../sweep/open-runner.js";
import { rank } from "../sweep/rank.js";
import { failedTrial } from "../sweep/records.js";
import { gridTrials, randomTrial, refineRanges } from "../sweep/sample.js";
import type { TrialRunner } from "../sweep/trial-runner.js";
import { appendTrial, readTrials, type TrialRecord } from "../sweep/trials-log.js";
import { trainOnce } from "./train-once.js";
import { toTrainedRun, type ExperimentContext } from "./train.js";

type SweepResult = Pick<RunSummary, "status" | "message" | "sweep">;

/**
 * Coarse-to-fine search: stages run in order; each trial's values depend only on (sweep seed, stage,
 * index), and the trials of a stage run on `sweep.parallel` worker threads (1: in this thread).
 * Finished trials are appended to trials.jsonl as they finish, so running the same spec into the
 * same folder again resumes and runs only the missing or failed ones.
 */
export function runSweep(spec: SweepSpec, raw: Record<string, unknown>, ctx: ExperimentContext): SweepResult {
  const sweep = spec.sweep;
  const data = new DataCache(dirname(ctx.specFile));
  const { stages, last } = runStages(spec, raw, ctx, data);
  const result: SweepResult = {
    status: "completed",
    sweep: { metric: sweep.metric, goal: sweep.goal, parameters: Object.keys(sweep.parameters), stages },
  };
  if (sweep.final !== undefined && result.sweep) {
    const finalRuns: TrainedRun[] = [];
    const best = last.filter((r) => r.status === "completed").slice(0, sweep.final.top);
    best.forEach((trial, i) => {
      const name = `final ${i + 1} (${Object.entries(numericParams(trial.params)).map(([k, v]) => `${shortKey(k)}=${v.toPrecision(6)}`).join(", ")})`;
      const finalSpec = deriveTrainSpec(raw, { ...trial.params, ...sweep.final?.set }, `sweep.final[${i + 1}]`);
      ctx.progress.log(name);
      finalRuns.push(toTrainedRun(name, trainOnce(finalSpec, data.get(finalSpec.data), ctx.progress, `final ${i + 1}`)));
    });
    result.sweep.final = finalRuns;
  }
  const failed = stages.flatMap((s) => s.trials).filter((t) => t.status === "failed").length;
  if (failed > 0) {
    result.status = "failed";
    result.message = `${failed} trial(s) failed; run the same command with --out ${ctx.folder.path} to retry them`;
  }
  return result;
}

/** Every stage, in order; returns their summaries and the last stage's trials, best first. */
function runStages(spec: SweepSpec, raw: Record<string, unknown>, ctx: ExperimentContext, data: DataCache): { stages: SweepStageSummary[]; last: TrialRecord[] } {
  const sweep = spec.sweep;
  const done = readTrials(ctx.folder);
  if (done.size > 0) ctx.progress.log(`resuming: ${done.size} finished trials found in ${ctx.folder.path}`);
  const stages: SweepStageSummary[] = [];
  let previous: TrialRecord[] = [];
  let runner: TrialRunner | undefined;
  try {
    sweep.stages.forEach((stage, s) => {
      const ranges = stageRanges(sweep.parameters, stage, previous);
      const trials = sweep.method === "grid" ? gridTrials(ranges) : Array.from({ length: stage.trials ?? 0 }, (_, i) => randomTrial(ranges, sweep.seed, s, i));
      const records = new Map<number, TrialRecord>();
      const bar = ctx.progress.bar(`stage ${s + 1}/${sweep.stages.length} ${stage.name}`, trials.length);
      const finished = (record: TrialRecord): void => {
        records.set(record.index, record);
        bar.update(records.size, `${sweep.metric} ${fmt(record.metric)}`);
        logTrial(ctx.progress, record, sweep.metric);
      };
      const logged = (record: TrialRecord): void => {
        appendTrial(ctx.folder, record);
        finished(record);
      };
      const jobs: TrialJob[] = [];
      trials.forEach((params, i) => {
        const id = `${s + 1}-${i}`;
        const earlier = done.get(id);
        if (earlier !== undefined) return finished(earlier);
        const job = trialJob(raw, spec, stage, params, id, s + 1, i);
        if ("status" in job) logged(job);
        else jobs.push(job);
      });
      if (jobs.length > 0) {
        const parallel = sweep.parallel ?? availableParallelism();
        runner ??= openTrialRunner({ parallel, pending: jobs.length, specDir: dirname(ctx.specFile), data, log: (line) => ctx.progress.log(line) });
        runner.run(jobs, logged);
      }
      bar.stop();
      const ranked = rank(trials.map((_, i) => records.get(i) as TrialRecord), sweep.goal);
      stages.push({
        name: stage.name,
        epochs: stage.epochs,
        ranges,
        trials: ranked.map((r) => ({ id: r.id, index: r.index, params: numericParams(r.params), metric: r.metric, status: r.status === "completed" ? "ok" : r.status, ...(r.message ? { message: r.message } : {}) })),
      });
      previous = ranked;
    });
  } finally {
    runner?.close();
  }
  return { stages, last: previous };
}

function stageRanges(base: Record<string, Distribution>, stage: SweepStage, previous: readonly TrialRecord[]): Record<string, Distribution> {
  if (stage.refine === undefined) return { ...base, ...stage.parameters };
  const best = previous.filter((r) => r.status === "completed").slice(0, stage.refine.top);
  if (best.length === 0) throw new SpecError([{ file: "sweep", line: 0, col: 0, path: `sweep.stages.${stage.name}.refine`, message: "no successful trial in the stage before to refine from" }]);
  return { ...refineRanges(base, best.map((r) => r.params), stage.refine.expand), ...stage.parameters };
}

/** The job of one trial, or its failed record when its values do not make a valid spec. */
function trialJob(raw: Record<string, unknown>, spec: SweepSpec, stage: SweepStage, params: Record<string, unknown>, id: string, stageNumber: number, index: number): TrialJob | TrialRecord {
  const place = { id, stage: stageNumber, index, params };
  try {
    const trialSpec = deriveTrainSpec(raw, { ...params, "training.epochs": stage.epochs }, `sweep trial ${id}`);
    return { ...place, spec: trialSpec, metric: spec.sweep.metric };
  } catch (error) {
    return failedTrial(place, (error as Error).message, 0);
  }
}

function numericParams(params: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, number] => typeof e[1] === "number"));
}

function shortKey(key: string): string {
  return key.split(".").pop() ?? key;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}

function logTrial(progress: Progress, r: TrialRecord, metric: string): void {
  const values = Object.entries(r.params).map(([k, v]) => `${shortKey(k)}=${typeof v === "number" ? v.toPrecision(6) : JSON.stringify(v)}`).join(" ");
  progress.log(`trial ${r.id}: ${values}  ${r.status === "completed" ? `${metric} ${fmt(r.metric)}` : r.message ?? r.status}  (${r.seconds.toFixed(1)} s)`);
}
