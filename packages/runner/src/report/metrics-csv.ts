/** Per-epoch metrics as CSV, one row per epoch, columns in a fixed order. */
import type { EpochMetrics } from "./types.js";

const COLUMNS: readonly (readonly [header: string, key: keyof EpochMetrics])[] = [
  ["epoch", "epoch"],
  ["train_loss", "trainLoss"],
  ["train_cost", "trainCost"],
  ["train_accuracy", "trainAccuracy"],
  ["validation_loss", "validationLoss"],
  ["validation_cost", "validationCost"],
  ["validation_accuracy", "validationAccuracy"],
  ["learning_rate", "learningRate"],
  ["seconds", "seconds"],
];

export const METRICS_CSV_HEADER: readonly string[] = COLUMNS.map(([header]) => header);

/** Numbers at full precision (`String(x)`, so they parse back exactly); a missing value is an empty cell. */
export function metricsCsv(history: readonly EpochMetrics[]): string {
  const lines = history.map((record) =>
    COLUMNS.map(([, key]) => {
      const value = record[key];
      return value === undefined ? "" : String(value);
    }).join(","),
  );
  return [METRICS_CSV_HEADER.join(","), ...lines].join("\n") + "\n";
}
