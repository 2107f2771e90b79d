import { DataError } from "../data/errors.js";
import { trainOnce, type TrainOutcome } from "../experiments/train-once.js";
import type { Progress } from "../run/progress.js";
import type { SweepMetric } from "../spec/types.js";
import type { DataCache } from "../data/data-cache.js";
import type { TrialJob } from "./messages.js";
import { errorLine, failedTrial, trialBase } from "./records.js";
import type { TrialRecord } from "./trials-log.js";

// Trials log nothing of their own (the sweep prints one line per trial); a local object keeps workers
// from loading the terminal-bar package.
const silent: Progress = { log: () => undefined, bar: () => ({ update: () => undefined, stop: () => undefined }) };

/**
 * Trains one trial; the same code runs in the main thread (parallel: 1) and in workers. Any error
 * becomes a failed record, except a DataError, which ends the sweep (every trial would fail alike).
 */
export function runTrialJob(job: TrialJob, data: DataCache): TrialRecord {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  try {
    const split = data.get(job.spec.data, job.metric === "test.accuracy");
    const outcome = trainOnce(job.spec, split, silent, "", { light: true });
    const record: TrialRecord = { ...trialBase(job), status: outcome.status, metric: metricOf(outcome, job.metric), seconds: seconds() };
    if (outcome.message !== undefined) record.message = outcome.message;
    return record;
  } catch (error) {
    if (error instanceof DataError) throw error;
    return failedTrial(job, errorLine(error), seconds());
  }
}

function metricOf(outcome: TrainOutcome, metric: SweepMetric): number {
  if (outcome.status !== "completed") return Number.NaN;
  const [split, name] = metric.split(".") as ["train" | "validation" | "test", "accuracy" | "loss" | "cost"];
  return outcome.final[split]?.[name] ?? Number.NaN;
}
