import { dirname } from "node:path";
import { loadSpecData } from "../data/from-spec.js";
import type { RunFolder } from "../run/run-folder.js";
import type { Progress } from "../run/progress.js";
import type { RunSummary, TrainedRun } from "../run/summary.js";
import type { TrainSpec } from "../spec/types.js";
import { CHECKPOINT_FILE, trainedCheckpoint } from "./checkpoint-file.js";
import { trainOnce, type TrainOutcome } from "./train-once.js";

export interface ExperimentContext {
  specFile: string;
  folder: RunFolder;
  progress: Progress;
}

export function toTrainedRun(name: string, outcome: TrainOutcome): TrainedRun {
  const run: TrainedRun = { name, status: outcome.status, final: outcome.final, history: outcome.history, seconds: outcome.seconds };
  if (outcome.message !== undefined) run.message = outcome.message;
  if (outcome.diverged !== undefined) run.diverged = outcome.diverged;
  return run;
}

export function runTrain(spec: TrainSpec, ctx: ExperimentContext): Pick<RunSummary, "status" | "message" | "train"> {
  const data = loadSpecData(spec.data, dirname(ctx.specFile));
  ctx.progress.log(`data: ${data.train.count} training, ${data.validation?.count ?? 0} validation, ${data.test?.count ?? 0} test samples of ${data.train.dim} features`);
  const outcome = trainOnce(spec, data, ctx.progress, "", { confusion: true });
  ctx.folder.write(CHECKPOINT_FILE, trainedCheckpoint(spec, data, outcome.model, outcome.status));
  const run = toTrainedRun(spec.name, outcome);
  const result: Pick<RunSummary, "status" | "message" | "train"> = { status: outcome.status, train: run };
  if (outcome.message !== undefined) result.message = outcome.message;
  return result;
}
