/** Input shapes of the report functions (structural, so training code can pass its own records). */

/** Metrics recorded at the end of one epoch. Accuracies are fractions in [0, 1]. */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainCost: number;
  trainAccuracy: number;
  validationLoss?: number;
  validationCost?: number;
  validationAccuracy?: number;
  learningRate?: number;
  /** Wall-clock seconds spent on the epoch. */
  seconds?: number;
}

/** Where training stopped because the loss became non-finite. */
export interface Divergence {
  epoch: number;
  batch: number;
}

export interface Variant {
  name: string;
  history: readonly EpochMetrics[];
  diverged?: Divergence;
}

/** One hyper-parameter trial of a sweep. */
export interface SweepTrial {
  params: Readonly<Record<string, number>>;
  /** ok: the metric at the last epoch; pruned: at the epoch it was stopped. */
  metric: number;
  /** e.g. "ok", "pruned", "diverged", "failed". */
  status: string;
  /** Epochs trained (pruned trials stop early). */
  epochs?: number;
  /** The metric after each epoch. */
  curve?: readonly number[];
}

export type HistoryMetric = "loss" | "cost" | "accuracy";

/** Statuses whose metric is not a result (never ranked, drawn as failures). */
export const FAILED_STATUSES: ReadonlySet<string> = new Set(["diverged", "failed", "error"]);

export function isSuccessful(trial: SweepTrial): boolean {
  return Number.isFinite(trial.metric) && !FAILED_STATUSES.has(trial.status) && trial.status !== "pruned";
}

export function divergenceText(d: Divergence): string {
  return `diverged at epoch ${d.epoch}, batch ${d.batch}`;
}
