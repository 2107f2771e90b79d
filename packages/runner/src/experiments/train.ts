import { dirname } from "node:path";
import { loadSpecData } from "../data/from-spec.js";
import type { RunFolder } from "../run/run-folder.js";
import type { Progress } from "../run/progress.js";
import type { RunSummary, TrainedRun } from "../run/summary.js";
import type { TrainSpec } from "../spec/types.js";
import { trainOnce, type TrainOutcome } from "./train-once.js";
import { CHECKPOINT_FILE, resumePoint, writeTrainCheckpoint } from "./train-checkpoint.js";
import type { EpochMetrics } from "../report/types.js";
import { FolderError } from "../run/identity.js";

export interface ExperimentContext {
  specFile: string;
  folder: RunFolder;
  progress: Progress;
  /** Continue the run the folder holds from its checkpoint (written at the end of every epoch). */
  resume?: boolean;
}

export function toTrainedRun(name: string, outcome: TrainOutcome): TrainedRun {
  const run: TrainedRun = { name, status: outcome.status, final: outcome.final, history: outcome.history, seconds: outcome.seconds };
  if (outcome.message !== undefined) run.message = outcome.message;
  if (outcome.diverged !== undefined) run.diverged = outcome.diverged;
  if (outcome.stopped !== undefined) run.stopped = outcome.stopped;
  return run;
}

export function runTrain(spec: TrainSpec, ctx: ExperimentContext): Pick<RunSummary, "status" | "message" | "train"> {
  const data = loadSpecData(spec.data, dirname(ctx.specFile));
  ctx.progress.log(`data: ${data.train.count} training, ${data.validation?.count ?? 0} validation, ${data.test?.count ?? 0} test samples of ${data.train.dim} features`);
  const saved = ctx.resume === true ? resumePoint(ctx.folder, spec) : undefined;
  if (saved !== undefined && saved.epoch === spec.training.epochs && ctx.folder.has("summary.json")) {
    throw new FolderError(`${ctx.folder.path} already holds all ${saved.epoch} epochs of this run; raise training.epochs (e.g. --set training.epochs=${2 * saved.epoch}) to train it further`);
  }
  if (saved !== undefined) ctx.progress.log(`resuming at epoch ${saved.epoch} of ${spec.training.epochs} from ${ctx.folder.file(CHECKPOINT_FILE)}`);
  const history: EpochMetrics[] = [...(saved?.history ?? [])];
  const outcome = trainOnce(spec, data, ctx.progress, "", {
    confusion: true,
    ...(saved === undefined ? {} : { from: saved.epoch, checkpoint: saved.bytes }),
    onEpoch: (row) => history.push(row),
    onState: (state, model) => writeTrainCheckpoint(ctx.folder, spec, data, model, "running", history, state),
  });
  writeTrainCheckpoint(ctx.folder, spec, data, outcome.model, outcome.status, history, outcome.state);
  const run = toTrainedRun(spec.name, { ...outcome, history });
  const result: Pick<RunSummary, "status" | "message" | "train"> = { status: outcome.status, train: run };
  if (outcome.message !== undefined) result.message = outcome.message;
  return result;
}
