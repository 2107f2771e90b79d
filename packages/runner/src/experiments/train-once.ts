import { divergenceMessage, evaluate, train, type EpochMetrics as NnEpoch, type Evaluation, type Sequential } from "@gradspec/nn";
import { datasetSource, type SplitData } from "../data/from-spec.js";
import { buildModel } from "../model.js";
import type { EpochMetrics } from "../report/types.js";
import type { Progress } from "../run/progress.js";
import type { ResolvedSpec } from "../spec/types.js";

export interface FinalMetrics {
  train?: Evaluation;
  validation?: Evaluation;
  test?: Evaluation;
}

export interface TrainOutcome {
  status: "completed" | "diverged";
  /** "diverged at epoch E, batch B (cost NaN)" when it diverged. */
  message?: string;
  diverged?: { epoch: number; batch: number };
  history: EpochMetrics[];
  final: FinalMetrics;
  seconds: number;
  model: Sequential;
}

export interface TrainOnceOptions {
  /**
   * Sweep trials: per epoch only the validation split is evaluated and there is no epoch-0 row; the
   * training split is evaluated once, at the end. Saves about a third of a short trial's time.
   */
  light?: boolean;
}

/** Trains the spec's network on already loaded data; evaluates the test split at the end. */
export function trainOnce(spec: ResolvedSpec, data: SplitData, progress: Progress, label = "", options: TrainOnceOptions = {}): TrainOutcome {
  const t = spec.training;
  const model = buildModel(spec.model, t.seed);
  const trainSource = datasetSource(data.train, data.standardizer);
  const validation = data.validation && datasetSource(data.validation, data.standardizer);
  const prefix = label === "" ? "" : `${label}: `;
  let bar = progress.bar(`${prefix}evaluating the untrained network`, 1);
  const result = train(
    model,
    validation === undefined ? { train: trainSource } : { train: trainSource, validation },
    {
      epochs: t.epochs,
      batchSize: t.batchSize,
      learningRate: t.learningRate,
      schedule: t.schedule,
      lambda: t.lambda,
      momentum: t.optimizer.momentum,
      variant: t.optimizer.variant,
      seed: t.seed,
      shuffle: t.shuffle,
      ...(options.light ? { evaluateInitial: false, evaluateTrain: false } : {}),
    },
    {
      onBatch(p) {
        if (p.batch === 1) {
          bar.stop();
          bar = progress.bar(`${prefix}epoch ${p.epoch}/${t.epochs}`, p.batches);
        }
        bar.update(p.batch, `loss ${p.loss.toFixed(4)}`);
      },
      onEpoch(m) {
        bar.stop();
        progress.log(`${prefix}${epochLine(m, t.epochs)}`);
      },
    },
  );
  bar.stop();
  const final: FinalMetrics = {};
  const last = result.history[result.history.length - 1];
  if (last?.train) final.train = last.train;
  else if (options.light && result.status === "completed") final.train = evaluate(model, trainSource, { lambda: t.lambda });
  if (last?.validation) final.validation = last.validation;
  if (result.status === "completed" && data.test !== undefined) {
    final.test = evaluate(model, datasetSource(data.test, data.standardizer), { lambda: t.lambda });
  }
  const outcome: TrainOutcome = {
    status: result.status,
    history: result.history.map(flattenEpoch),
    final,
    seconds: result.seconds,
    model,
  };
  if (result.diverged) {
    outcome.diverged = { epoch: result.diverged.epoch, batch: result.diverged.batch };
    outcome.message = divergenceMessage(result.diverged);
    progress.log(`${prefix}${outcome.message}`);
  }
  return outcome;
}

export function flattenEpoch(m: NnEpoch): EpochMetrics {
  const row: EpochMetrics = {
    epoch: m.epoch,
    trainLoss: m.train?.loss ?? Number.NaN,
    trainCost: m.train?.cost ?? Number.NaN,
    trainAccuracy: m.train?.accuracy ?? Number.NaN,
    learningRate: m.learningRate,
    seconds: m.seconds,
  };
  if (m.validation) {
    row.validationLoss = m.validation.loss;
    row.validationCost = m.validation.cost;
    row.validationAccuracy = m.validation.accuracy;
  }
  return row;
}

function epochLine(m: NnEpoch, epochs: number): string {
  const parts = [`epoch ${m.epoch}/${epochs}`];
  if (m.train) parts.push(`train loss ${m.train.loss.toFixed(4)} cost ${m.train.cost.toFixed(4)} acc ${(100 * m.train.accuracy).toFixed(2)}%`);
  if (m.validation) parts.push(`validation loss ${m.validation.loss.toFixed(4)} acc ${(100 * m.validation.accuracy).toFixed(2)}%`);
  if (m.epoch > 0) parts.push(`η ${m.learningRate.toPrecision(4)}`, `${m.seconds.toFixed(1)} s`);
  return parts.join("  ");
}
