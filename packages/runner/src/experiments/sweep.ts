import { dirname } from "node:path";
import { loadSpecData, type SplitData } from "../data/from-spec.js";
import type { Progress } from "../run/progress.js";
import type { RunSummary, SweepStageSummary, TrainedRun } from "../run/summary.js";
import { deriveTrainSpec, SpecError } from "../spec/index.js";
import type { DataSpec, Distribution, SweepSpec, SweepStage, TrainSpec } from "../spec/types.js";
import { gridTrials, randomTrial, refineRanges } from "../sweep/sample.js";
import { appendTrial, readTrials, type TrialRecord } from "../sweep/trials-log.js";
import { trainOnce, type TrainOutcome } from "./train-once.js";
import { toTrainedRun, type ExperimentContext } from "./train.js";

/**
 * Coarse-to-fine search: stages run in order; each trial's values depend only on (sweep seed, stage,
 * index). Finished trials are appended to trials.jsonl, so running the same spec into the same folder
 * again resumes and runs only the missing or failed ones.
 */
export function runSweep(spec: SweepSpec, raw: Record<string, unknown>, ctx: ExperimentContext): Pick<RunSummary, "status" | "message" | "sweep"> {
  const sweep = spec.sweep;
  const data = new DataCache(dirname(ctx.specFile));
  const done = readTrials(ctx.folder);
  if (done.size > 0) ctx.progress.log(`resuming: ${done.size} finished trials found in ${ctx.folder.path}`);
  const stages: SweepStageSummary[] = [];
  const keys = Object.keys(sweep.parameters);
  let previous: TrialRecord[] = [];
  sweep.stages.forEach((stage, s) => {
    const ranges = stageRanges(sweep.parameters, stage, previous);
    const trials = sweep.method === "grid" ? gridTrials(ranges) : Array.from({ length: stage.trials ?? 0 }, (_, i) => randomTrial(ranges, sweep.seed, s, i));
    const records: TrialRecord[] = [];
    const bar = ctx.progress.bar(`stage ${s + 1}/${sweep.stages.length} ${stage.name}`, trials.length);
    trials.forEach((params, i) => {
      const id = `${s + 1}-${i}`;
      let record = done.get(id);
      if (record === undefined) {
        record = runTrial(raw, spec, stage, params, data, id, s + 1, i);
        appendTrial(ctx.folder, record);
      }
      records.push(record);
      bar.update(i + 1, `${sweep.metric} ${fmt(record.metric)}`);
      logTrial(ctx.progress, record, sweep.metric);
    });
    bar.stop();
    const ranked = rank(records, sweep.goal);
    stages.push({
      name: stage.name,
      epochs: stage.epochs,
      ranges,
      trials: ranked.map((r) => ({ id: r.id, index: r.index, params: numericParams(r.params), metric: r.metric, status: r.status === "completed" ? "ok" : r.status, ...(r.message ? { message: r.message } : {}) })),
    });
    previous = ranked;
  });
  const result: Pick<RunSummary, "status" | "message" | "sweep"> = {
    status: "completed",
    sweep: { metric: sweep.metric, goal: sweep.goal, parameters: keys, stages },
  };
  if (sweep.final !== undefined && result.sweep) {
    const finalRuns: TrainedRun[] = [];
    const best = previous.filter((r) => r.status === "completed").slice(0, sweep.final.top);
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

function stageRanges(base: Record<string, Distribution>, stage: SweepStage, previous: readonly TrialRecord[]): Record<string, Distribution> {
  if (stage.refine === undefined) return { ...base, ...stage.parameters };
  const best = previous.filter((r) => r.status === "completed").slice(0, stage.refine.top);
  if (best.length === 0) throw new SpecError([{ file: "sweep", line: 0, col: 0, path: `sweep.stages.${stage.name}.refine`, message: "no successful trial in the stage before to refine from" }]);
  return { ...refineRanges(base, best.map((r) => r.params), stage.refine.expand), ...stage.parameters };
}

function runTrial(
  raw: Record<string, unknown>,
  spec: SweepSpec,
  stage: SweepStage,
  params: Record<string, unknown>,
  data: DataCache,
  id: string,
  stageNumber: number,
  index: number,
): TrialRecord {
  const started = performance.now();
  const base = { id, stage: stageNumber, index, params };
  let trialSpec: TrainSpec;
  try {
    trialSpec = deriveTrainSpec(raw, { ...params, "training.epochs": stage.epochs }, `sweep trial ${id}`);
  } catch (error) {
    return { ...base, status: "failed", metric: Number.NaN, message: (error as Error).message, seconds: 0 };
  }
  const needsTest = spec.sweep.metric === "test.accuracy";
  const outcome = trainOnce(trialSpec, data.get(trialSpec.data, needsTest), { log: () => undefined, bar: () => ({ update: () => undefined, stop: () => undefined }) });
  const record: TrialRecord = { ...base, status: outcome.status, metric: metricOf(outcome, spec.sweep.metric), seconds: (performance.now() - started) / 1000 };
  if (outcome.message !== undefined) record.message = outcome.message;
  return record;
}

function metricOf(outcome: TrainOutcome, metric: string): number {
  if (outcome.status !== "completed") return Number.NaN;
  const [split, name] = metric.split(".") as ["train" | "validation" | "test", "accuracy" | "loss" | "cost"];
  const value = outcome.final[split]?.[name];
  return value ?? Number.NaN;
}

/** Best first; trials without a finite metric last, in their original order. */
function rank(records: readonly TrialRecord[], goal: "maximize" | "minimize"): TrialRecord[] {
  const sign = goal === "maximize" ? -1 : 1;
  return [...records].sort((a, b) => {
    const fa = Number.isFinite(a.metric) && a.status === "completed";
    const fb = Number.isFinite(b.metric) && b.status === "completed";
    if (fa !== fb) return fa ? -1 : 1;
    if (!fa) return a.index - b.index;
    return sign * (a.metric - b.metric) || a.index - b.index;
  });
}

class DataCache {
  private readonly cache = new Map<string, SplitData>();
  constructor(private readonly specDir: string) {}

  get(spec: DataSpec, withTest = true): SplitData {
    const effective = withTest || spec.source !== "cifar10" ? spec : { ...spec, test: [] };
    const key = JSON.stringify(effective);
    let split = this.cache.get(key);
    if (split === undefined) {
      split = loadSpecData(effective, this.specDir);
      this.cache.set(key, split);
    }
    return split;
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
