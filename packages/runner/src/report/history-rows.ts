/** Turns per-epoch records into the long-format rows the charts plot. */
import type { Split } from "./chart-style.js";
import type { EpochMetrics, HistoryMetric } from "./types.js";

export interface MetricRow {
  epoch: number;
  split: Split;
  value: number;
}

const FIELDS: Readonly<Record<HistoryMetric, Readonly<Record<Split, keyof EpochMetrics>>>> = {
  loss: { train: "trainLoss", validation: "validationLoss" },
  cost: { train: "trainCost", validation: "validationCost" },
  accuracy: { train: "trainAccuracy", validation: "validationAccuracy" },
};

export const METRIC_TITLES: Readonly<Record<HistoryMetric, string>> = { loss: "Loss", cost: "Cost", accuracy: "Accuracy" };

/** Finite values only (a diverged epoch's NaN is left out); with `positive`, only values > 0 (log scales). */
export function metricRows(history: readonly EpochMetrics[], metric: HistoryMetric, positive = false): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const split of ["train", "validation"] as const) {
    for (const record of history) {
      const value = record[FIELDS[metric][split]];
      if (typeof value === "number" && Number.isFinite(value) && (!positive || value > 0)) rows.push({ epoch: record.epoch, split, value });
    }
  }
  return rows;
}

/** The splits present in the rows, in train, validation order. */
export function splitsOf(rows: readonly MetricRow[]): Split[] {
  return (["train", "validation"] as const).filter((s) => rows.some((r) => r.split === s));
}

/** The splits with at least one value of any of the metrics in any history (both when there is no data at all). */
export function splitsIn(histories: readonly (readonly EpochMetrics[])[], metrics: readonly HistoryMetric[]): Split[] {
  const splits = splitsOf(histories.flatMap((h) => metrics.flatMap((m) => metricRows(h, m))));
  return splits.length === 0 ? ["train", "validation"] : splits;
}

export function longestSeries(rows: readonly MetricRow[]): number {
  return Math.max(0, ...splitsOf(rows).map((s) => rows.filter((r) => r.split === s).length));
}
