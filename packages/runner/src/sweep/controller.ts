import { rmdirSync } from "node:fs";
import type { RunFolder } from "../run/run-folder.js";
import type { Progress, ProgressBar } from "../run/progress.js";
import { deriveTrainSpec } from "../spec/index.js";
import type { SweepSpec, TrainSpec } from "../spec/types.js";
import { FINISHED, type Decision, type TrialView } from "./core/history.js";
import { nextSteps, type Pruning, type SegmentOrder, type StagePlan } from "./core/next-steps.js";
import type { TrialExecutor } from "./executors/executor.js";
import { STATES_DIR } from "./executors/folder-states.js";
import { finalCheckpointPath } from "../experiments/checkpoint-file.js";
import { errorLine } from "./records.js";
import type { SegmentJob, SegmentResult, TrialPlace } from "./segment.js";
import { appendTrial, readPaused, readTrials, removePaused, TRIALS_FILE, writePaused, type PausedTrial, type TrialRecord } from "./trials-log.js";

export interface ControllerContext {
  folder: RunFolder;
  progress: Progress;
  /** Opened when there is something to run (a resumed, finished sweep opens none). */
  openExecutor: () => Promise<TrialExecutor>;
  /** Aborting stops the sweep at once, leaving every finished trial recorded. */
  signal?: AbortSignal;
}

export interface ControllerOutcome {
  plans: StagePlan[];
  /** Every finished trial by id, final retrainings included. */
  records: Map<string, TrialRecord>;
  failure?: string;
}

/** The sweep was interrupted (SIGINT); what finished is recorded and the same command resumes it. */
export class SweepInterrupted extends Error {
  override readonly name = "SweepInterrupted";
}

/**
 * The sweep's controller: asks the pure core what to do next, has the executor run it, records what
 * comes back (trials.jsonl for finished trials, states/<id>.json for paused ones) and asks again.
 * Resuming reads the same records, so an interrupted sweep continues where it stopped.
 */
export async function runController(spec: SweepSpec, raw: Record<string, unknown>, ctx: ControllerContext): Promise<ControllerOutcome> {
  const sweep = spec.sweep;
  const torn = ctx.folder.repairLog(TRIALS_FILE);
  if (torn !== "") ctx.progress.log(`${ctx.folder.file(TRIALS_FILE)}: cut a torn last line (${torn.length} bytes) left by an interrupted write; that trial runs again`);
  const records = readTrials(ctx.folder);
  const paused = readPaused(ctx.folder);
  for (const id of paused.keys()) if (records.has(id)) removePaused(ctx.folder, id);
  const views = new Map<string, TrialView>();
  for (const r of records.values()) views.set(r.id, { stage: r.stage, index: r.index, state: r.status, curve: r.curve, metric: r.metric, decisions: r.decisions ?? [] });
  for (const p of paused.values()) if (!records.has(p.id)) views.set(p.id, { stage: p.stage, index: p.index, state: "paused", curve: p.curve, metric: Number.NaN, decisions: p.decisions });
  if (views.size > 0) ctx.progress.log(`resuming: ${records.size} finished and ${views.size - records.size} paused trials found in ${ctx.folder.path}`);

  const specs = new Map<string, TrainSpec>();
  const running = new Map<string, Promise<void>>();
  const seconds = new Map<string, number>([...paused.values()].map((p) => [p.id, p.seconds]));
  let executor: TrialExecutor | undefined;
  let fatal: unknown;
  let wake: () => void = () => undefined;
  const bars = new StageBars(ctx.progress, sweep.stages.length, sweep.metric);

  const finish = (record: TrialRecord): void => {
    appendTrial(ctx.folder, record);
    removePaused(ctx.folder, record.id);
    records.set(record.id, record);
    views.set(record.id, { stage: record.stage, index: record.index, state: record.status, curve: record.curve, metric: record.metric, decisions: record.decisions ?? [] });
    bars.finished(record);
    ctx.progress.log(trialLine(record, sweep.metric));
  };

  const prune = (place: TrialPlace, p: Pruning): void => {
    const view = views.get(place.id) as TrialView;
    const curve = [...view.curve];
    finish({ ...place, status: "pruned", metric: curve[curve.length - 1] ?? Number.NaN, epochs: curve.length, curve, decisions: [...view.decisions, p.decision], seconds: seconds.get(place.id) ?? 0 });
    void executor?.discard(place.id, curve.length).catch(() => undefined);
  };

  const launch = (order: SegmentOrder, plan: StagePlan | undefined): void => {
    const place: TrialPlace = { id: `${order.stage}-${order.index}`, stage: order.stage, index: order.index, params: order.params };
    let trialSpec = specs.get(place.id);
    if (trialSpec === undefined) {
      try {
        trialSpec = order.final
          ? deriveTrainSpec(raw, { ...order.params, ...sweep.final?.set }, `sweep.final[${order.index + 1}]`)
          : deriveTrainSpec(raw, { ...order.params, "training.epochs": plan?.stage.epochs }, `sweep trial ${place.id}`);
      } catch (error) {
        finish({ ...place, status: "failed", metric: Number.NaN, epochs: 0, curve: [], message: errorLine(error), seconds: 0 });
        return;
      }
      specs.set(place.id, trialSpec);
    }
    const view = views.get(place.id);
    const curve = view?.curve.slice(0, order.from) ?? [];
    const decisions = order.decision === undefined ? [...(view?.decisions ?? [])] : [...(view?.decisions ?? []).filter((d) => d.epoch !== order.decision?.epoch), order.decision];
    // A verdict to go on is recorded before the segment runs, so a restarted controller keeps it.
    if (order.decision !== undefined) writePaused(ctx.folder, { ...place, epochs: order.from, curve, decisions, seconds: seconds.get(place.id) ?? 0 });
    views.set(place.id, { stage: place.stage, index: place.index, state: "running", curve, metric: Number.NaN, decisions });
    const job: SegmentJob = { ...place, spec: trialSpec, metric: sweep.metric, from: order.from, until: order.until ?? trialSpec.training.epochs, final: order.final };
    const run = (executor as TrialExecutor)
      .run(job, (report) => bars.epoch(place.id, report.epoch, report.epochs))
      .then(async (result) => {
        if (job.final && result.status !== "failed") await keepFinal(job);
        settle(job, curve, decisions, result);
      })
      .catch((error: unknown) => {
        fatal ??= error;
      })
      .finally(() => {
        running.delete(place.id);
        wake();
      });
    running.set(place.id, run);
  };

  const keepFinal = async (job: SegmentJob): Promise<void> => {
    const bytes = await executor?.takeFinal?.(job.id, job.until);
    if (bytes !== undefined) ctx.folder.write(finalCheckpointPath(job.index), bytes);
  };

  const settle = (job: SegmentJob, before: number[], decisions: PausedTrial["decisions"], result: SegmentResult): void => {
    const place: TrialPlace = { id: job.id, stage: job.stage, index: job.index, params: job.params };
    const curve = [...before, ...result.curve];
    const total = (seconds.get(job.id) ?? 0) + result.seconds;
    seconds.set(job.id, total);
    if (result.recomputed > 0) ctx.progress.log(`trial ${job.id}: no saved state at epoch ${job.from}, trained those epochs again`);
    if (result.status === "paused") {
      writePaused(ctx.folder, { ...place, epochs: job.until, curve, decisions, seconds: total });
      views.set(job.id, { stage: job.stage, index: job.index, state: "paused", curve, metric: Number.NaN, decisions });
      return;
    }
    const record: TrialRecord = { ...place, status: result.status, metric: result.metric, epochs: result.status === "completed" ? job.until : curve.length, curve, seconds: total };
    if (decisions.length > 0) record.decisions = decisions;
    if (result.message !== undefined) record.message = result.message;
    if (result.diverged !== undefined) record.diverged = result.diverged;
    if (result.history !== undefined) record.history = result.history;
    if (result.final !== undefined) record.final = result.final;
    finish(record);
  };

  const stopped = new Promise<void>((resolve) => {
    if (ctx.signal?.aborted) resolve();
    ctx.signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  try {
    for (;;) {
      if (fatal !== undefined) throw fatal;
      if (ctx.signal?.aborted) throw new SweepInterrupted(interruptedLine(ctx.folder, records.size));
      const step = nextSteps(sweep, [...views.values()]);
      bars.show(step.plans, views, step.finals.length);
      if (step.failure !== undefined) return { plans: step.plans, records, failure: step.failure };
      const planOf = (stage: number): StagePlan | undefined => step.plans[stage - 1];
      for (const p of step.prune) prune({ id: `${p.stage}-${p.index}`, stage: p.stage, index: p.index, params: planOf(p.stage)?.trials[p.index] ?? {} }, p);
      if (step.prune.length > 0) continue;
      const orders = step.start.filter((o) => !running.has(`${o.stage}-${o.index}`));
      if (orders.length > 0) executor ??= await ctx.openExecutor();
      for (const order of orders) launch(order, planOf(order.stage));
      if (orders.some((o) => FINISHED.has(views.get(`${o.stage}-${o.index}`)?.state ?? "running"))) continue;
      if (step.done && running.size === 0) {
        removeEmptyStates(ctx.folder);
        return { plans: step.plans, records };
      }
      if (running.size === 0) throw new Error("sweep: nothing is running and nothing can start, yet the sweep is not finished");
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), stopped]);
    }
  } finally {
    bars.stop();
    await executor?.close();
  }
}

/** The states/ folder of a finished sweep, if nothing is left in it. */
function removeEmptyStates(folder: RunFolder): void {
  try {
    rmdirSync(folder.file(STATES_DIR));
  } catch {
    // absent, or holds something: keep it
  }
}

function interruptedLine(folder: RunFolder, finished: number): string {
  return `interrupted: ${finished} finished trials are recorded in ${folder.file("trials.jsonl")}; run the same command with --out ${folder.path} to resume`;
}

function shortKey(key: string): string {
  return key.split(".").pop() ?? key;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}

/** "trial 2-17: learningRate=0.0123 lambda=1e-05  validation.accuracy 0.4123 (9.1 s)" */
export function trialLine(r: TrialRecord, metric: string): string {
  const values = Object.entries(r.params).map(([k, v]) => `${shortKey(k)}=${typeof v === "number" ? v.toPrecision(6) : JSON.stringify(v)}`).join(" ");
  let outcome: string;
  if (r.status === "completed") outcome = `${metric} ${fmt(r.metric)}`;
  else if (r.status === "pruned") {
    const d = r.decisions?.[r.decisions.length - 1];
    outcome = `pruned at epoch ${r.epochs} (${metric} ${fmt(r.metric)}${d === undefined ? "" : `, ${verdictText(d)}`})`;
  } else outcome = r.message ?? r.status;
  return `trial ${r.id}: ${values}  ${outcome}  (${r.seconds.toFixed(1)} s)`;
}

/** Why a pruner stopped a trial: "rank 5 of 9, 3 kept", "cutoff 0.4100", "median 0.4100 of 12". */
function verdictText(d: Decision): string {
  if (d.rank !== undefined && d.kept !== undefined) return `rank ${d.rank} of ${d.of}, ${d.kept} kept`;
  return d.rule === "median" ? `median ${fmt(d.threshold)} of ${d.of} others` : `cutoff ${fmt(d.threshold)} of ${d.of}`;
}

/** One progress bar per stage (and one for the final retrainings), counting finished trials. */
class StageBars {
  private bar: ProgressBar | undefined;
  private stage = 0;
  private done = 0;
  private status = "";

  constructor(
    private readonly progress: Progress,
    private readonly stages: number,
    private readonly metric: string,
  ) {}

  show(plans: readonly StagePlan[], views: ReadonlyMap<string, TrialView>, finals: number): void {
    const retraining = plans.length === this.stages && finals > 0 && [...views.values()].some((v) => v.stage === this.stages + 1);
    const current = retraining ? this.stages + 1 : plans.length;
    if (current === this.stage) return;
    this.stop();
    this.stage = current;
    const plan = plans[current - 1];
    this.done = [...views.values()].filter((v) => v.stage === current && FINISHED.has(v.state)).length;
    this.bar = this.progress.bar(plan === undefined ? "final retraining" : `stage ${current}/${this.stages} ${plan.stage.name}`, plan === undefined ? finals : plan.trials.length);
    this.bar.update(this.done, this.status);
  }

  finished(record: TrialRecord): void {
    if (record.stage !== this.stage) return;
    this.done++;
    this.status = record.status === "completed" ? `${this.metric} ${fmt(record.metric)}` : record.status;
    this.bar?.update(this.done, this.status);
  }

  epoch(id: string, epoch: number, epochs: number): void {
    if (id.startsWith(`${this.stage}-`)) this.bar?.update(this.done, `trial ${id} epoch ${epoch}/${epochs}`);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
