import { encodeCheckpoint } from "@gradspec/nn";
import { trainedCheckpoint } from "../experiments/checkpoint-file.js";
import { DataError } from "../data/errors.js";
import type { DataCache } from "../data/data-cache.js";
import { trainOnce, type FinalMetrics, type TrainOutcome } from "../experiments/train-once.js";
import type { EpochMetrics } from "../report/types.js";
import type { Progress } from "../run/progress.js";
import type { SweepMetric, TrainSpec } from "../spec/types.js";
import { errorLine } from "./records.js";

/** A trial's place in the sweep. */
export interface TrialPlace {
  /** `${stage}-${index}`. */
  id: string;
  /** 1-based; final retrainings are stage `stages.length + 1`. */
  stage: number;
  index: number;
  params: Record<string, unknown>;
}

/** Train one trial from epoch `from` to `until`: what every executor runs. */
export interface SegmentJob extends TrialPlace {
  /** The trial's training run, validated (its training.epochs is the stage's). */
  spec: TrainSpec;
  metric: SweepMetric;
  from: number;
  until: number;
  /** A final retraining: every split evaluated every epoch, the whole history kept. */
  final: boolean;
}

export interface SegmentResult {
  /** paused: trained to `until` < epochs and saved its state, to be judged by a pruner. */
  status: "paused" | "completed" | "diverged" | "failed";
  /** The metric after each epoch of this segment (from + 1 … until). */
  curve: number[];
  /** Completed: the metric that ranks the trial; otherwise NaN. */
  metric: number;
  message?: string;
  /** Where a diverged run stopped. */
  diverged?: { epoch: number; batch: number };
  seconds: number;
  /** Epochs trained again because there was no saved state at `from` (training is deterministic). */
  recomputed: number;
  /** Final retrainings: the history and the final metrics of every split. */
  history?: EpochMetrics[];
  final?: FinalMetrics;
}

/** An epoch finished, while its segment runs (for progress; verdicts wait for the segment's end). */
export interface EpochReport {
  id: string;
  epoch: number;
  epochs: number;
  value: number;
}

// Trials log nothing of their own (the sweep prints one line per trial); a local object keeps workers
// from loading the terminal-bar package.
const silent: Progress = { log: () => undefined, bar: () => ({ update: () => undefined, stop: () => undefined }) };

/**
 * Trains one segment; the same code runs in this thread, in worker threads and in queue workers.
 * `checkpoint` is the state saved at `from` (absent: those epochs are trained again); a final
 * retraining returns its trained network's complete checkpoint. Any error
 * becomes a failed result, except a DataError, which concerns every trial alike and is thrown.
 */
export function runSegment(job: SegmentJob, data: DataCache, checkpoint?: Uint8Array, onEpoch?: (report: EpochReport) => void): { result: SegmentResult; checkpoint?: Uint8Array } {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const [split] = job.metric.split(".") as [string];
  try {
    const splits = data.get(job.spec.data, job.final || split === "test");
    const epochs = job.spec.training.epochs;
    const outcome = trainOnce(job.spec, splits, silent, "", {
      light: !job.final,
      curve: split === "train" ? "train" : "validation",
      from: job.from,
      ...(checkpoint === undefined ? {} : { checkpoint }),
      until: job.until,
      onEpoch: (row) => onEpoch?.({ id: job.id, epoch: row.epoch, epochs, value: epochValue(row, job.metric) }),
    });
    const curve = outcome.history.filter((row) => row.epoch > job.from).map((row) => epochValue(row, job.metric));
    const paused = outcome.status === "completed" && job.until < epochs;
    const result: SegmentResult = {
      status: paused ? "paused" : outcome.status,
      curve,
      metric: outcome.status === "completed" && !paused ? finalValue(outcome, job.metric) : Number.NaN,
      seconds: seconds(),
      recomputed: outcome.recomputed,
    };
    if (outcome.message !== undefined) result.message = outcome.message;
    if (outcome.diverged !== undefined) result.diverged = outcome.diverged;
    if (job.final) {
      result.history = outcome.history;
      result.final = outcome.final;
      // Saved like a paused trial's state; the controller takes it into finals/.
      return { result, checkpoint: trainedCheckpoint(job.spec, splits, outcome.model, outcome.status) };
    }
    if (!paused || outcome.state === undefined) return { result };
    return { result, checkpoint: encodeCheckpoint(outcome.model, {}, outcome.state) };
  } catch (error) {
    if (error instanceof DataError) throw error;
    return { result: { status: "failed", curve: [], metric: Number.NaN, message: errorLine(error), seconds: seconds(), recomputed: 0 } };
  }
}

const COLUMNS: Record<string, keyof EpochMetrics> = {
  "train.accuracy": "trainAccuracy",
  "train.loss": "trainLoss",
  "validation.accuracy": "validationAccuracy",
  "validation.loss": "validationLoss",
  "validation.cost": "validationCost",
};

/** The metric in an epoch's row; NaN for what is not measured every epoch (test). */
function epochValue(row: EpochMetrics, metric: SweepMetric): number {
  const column = COLUMNS[metric];
  const value = column === undefined ? undefined : row[column];
  return typeof value === "number" ? value : Number.NaN;
}

function finalValue(outcome: TrainOutcome, metric: SweepMetric): number {
  const [split, name] = metric.split(".") as ["train" | "validation" | "test", "accuracy" | "loss" | "cost"];
  return outcome.final[split]?.[name] ?? Number.NaN;
}
