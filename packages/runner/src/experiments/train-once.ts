import { divergenceMessage, evaluate, loadTrainingCheckpoint, train, type EarlyStop, type EarlyStoppingOptions, type EpochMetrics as NnEpoch, type Evaluation, type Sequential, type TrainState } from "@gradspec/nn";
import { trainingAugmentation } from "../data/augmented-rows.js";
import { datasetSource, type SplitData } from "../data/from-spec.js";
import { buildModel } from "../model.js";
import type { EpochMetrics } from "../report/types.js";
import type { Progress } from "../run/progress.js";
import type { EarlyStoppingMetric, ResolvedSpec } from "../spec/types.js";

export interface FinalMetrics {
  train?: Evaluation;
  validation?: Evaluation;
  /** With the confusion matrix when asked for (rows: true class, columns: predicted). */
  test?: Evaluation & { confusion?: number[][] };
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
  /** Where training stands: the last epoch trained and what resuming from it needs. Absent when it diverged. */
  state?: TrainState;
  /** Epochs trained again before `from` because no checkpoint was given. */
  recomputed: number;
  /** Early stopping ended the run: the model holds its best epoch's parameters. */
  stopped?: EarlyStop;
}

function earlyStoppingMetric(metric: EarlyStoppingMetric): EarlyStoppingOptions["metric"] {
  return metric.slice("validation.".length) as EarlyStoppingOptions["metric"];
}

export function stoppedMessage(stop: EarlyStop, patience: number): string {
  return `stopped early at epoch ${stop.epoch}: validation ${stop.metric} has not improved for ${patience} epochs; kept epoch ${stop.bestEpoch} (${stop.best.toPrecision(5)})`;
}

export interface TrainOnceOptions {
  /**
   * Sweep trials: no epoch-0 row, and per epoch only the validation split is evaluated (the training
   * split too when `curve` is train); the training split once at the end. Saves about a third of a
   * short trial's time.
   */
  light?: boolean;
  /** The split a light run evaluates every epoch (default validation). */
  curve?: "train" | "validation";
  /** Start after this many epochs (default 0): from `checkpoint`'s training state, or by training them again when it is absent. */
  from?: number;
  checkpoint?: Uint8Array;
  /** Stop after this epoch (default the spec's epochs); final metrics are measured only at the last. */
  until?: number;
  onEpoch?: (metrics: EpochMetrics) => void;
  /** After each epoch (after onEpoch): where training stands, to write a checkpoint it can continue from. */
  onState?: (state: TrainState, model: Sequential) => void;
  /** Count the test split's confusion matrix too. */
  confusion?: boolean;
}

/** Trains the spec's network on already loaded data; evaluates the test split at the end. */
export function trainOnce(spec: ResolvedSpec, data: SplitData, progress: Progress, label = "", options: TrainOnceOptions = {}): TrainOutcome {
  const t = spec.training;
  const model = buildModel(spec.model, t.seed);
  const trainSource = datasetSource(data.train, data.standardizer, trainingAugmentation(spec.data, t.seed));
  const validation = data.validation && datasetSource(data.validation, data.standardizer);
  const prefix = label === "" ? "" : `${label}: `;
  const sources = validation === undefined ? { train: trainSource } : { train: trainSource, validation };
  const trainOptions = {
    epochs: t.epochs,
    batchSize: t.batchSize,
    learningRate: t.learningRate,
    schedule: t.schedule,
    lambda: t.lambda,
    optimizer: t.optimizer,
    seed: t.seed,
    shuffle: t.shuffle,
    divergence: t.divergence,
    ...(t.earlyStopping === undefined ? {} : { earlyStopping: { metric: earlyStoppingMetric(t.earlyStopping.metric), patience: t.earlyStopping.patience, minDelta: t.earlyStopping.minDelta } }),
    ...(options.light ? { evaluateInitial: false, evaluateTrain: options.curve === "train" } : {}),
  };
  const from = options.from ?? 0;
  let resume: TrainState | undefined;
  let recomputed = 0;
  if (from > 0 && options.checkpoint !== undefined) resume = savedState(model, options.checkpoint, from);
  if (from > 0 && resume === undefined) {
    // Training is deterministic: the same epochs again give the same state, bit for bit.
    const before = train(model, sources, { ...trainOptions, evaluateInitial: false, evaluateTrain: false, until: from }, {});
    if (before.state === undefined) throw new RangeError(`training the first ${from} epochs again diverged, which they did not before`);
    resume = before.state;
    recomputed = from;
  }
  let bar = progress.bar(`${prefix}evaluating the untrained network`, 1);
  const result = train(
    model,
    sources,
    { ...trainOptions, ...(resume === undefined ? {} : { resume }), ...(options.until === undefined ? {} : { until: options.until }) },
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
        options.onEpoch?.(flattenEpoch(m));
      },
      ...(options.onState === undefined ? {} : { onState: (state: TrainState) => options.onState?.(state, model) }),
    },
  );
  bar.stop();
  const final: FinalMetrics = {};
  // Stopped early, the network holds its best epoch's parameters again: that epoch's row describes it.
  const last = result.stopped === undefined ? result.history[result.history.length - 1] : result.history.find((m) => m.epoch === result.stopped?.bestEpoch) ?? result.history[result.history.length - 1];
  const finished = result.status === "completed" && ((options.until ?? t.epochs) === t.epochs || result.stopped !== undefined);
  if (last?.train) final.train = last.train;
  else if (options.light && finished) final.train = evaluate(model, trainSource, { lambda: t.lambda });
  if (last?.validation) final.validation = last.validation;
  if (finished && data.test !== undefined) {
    final.test = evaluate(model, datasetSource(data.test, data.standardizer), { lambda: t.lambda, ...(options.confusion === true ? { confusion: true } : {}) });
  }
  const outcome: TrainOutcome = {
    status: result.status,
    history: result.history.map(flattenEpoch),
    final,
    seconds: result.seconds,
    model,
    recomputed,
  };
  if (result.state !== undefined) outcome.state = result.state;
  if (result.stopped !== undefined) {
    outcome.stopped = result.stopped;
    progress.log(`${prefix}${stoppedMessage(result.stopped, t.earlyStopping?.patience ?? 0)}`);
  }
  if (result.diverged) {
    outcome.diverged = { epoch: result.diverged.epoch, batch: result.diverged.batch };
    outcome.message = divergenceMessage(result.diverged);
    progress.log(`${prefix}${outcome.message}`);
  }
  return outcome;
}

/** The state a checkpoint holds at epoch `from`; undefined when it is unreadable or from elsewhere (the epochs are then trained again). */
function savedState(model: Sequential, checkpoint: Uint8Array, from: number): TrainState | undefined {
  const initial = [...model.params.values(), ...model.buffers.values()].map((t) => Float64Array.from(t.data));
  try {
    const state = loadTrainingCheckpoint(model, checkpoint, "the saved training state").state;
    if (state?.epoch === from) return state;
  } catch {
    // fall through: restore the initial values below
  }
  [...model.params.values(), ...model.buffers.values()].forEach((t, i) => t.data.set(initial[i]));
  return undefined;
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
