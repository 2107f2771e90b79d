/** Per-epoch metrics as CSV, one row per epoch, columns in a fixed order. */
import { formatSignificant } from "./number-format.js";
import { tableData, type TableData } from "./table-data.js";
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

/** The same columns as a table, numbers to 6 significant digits. */
export function metricsTableData(history: readonly EpochMetrics[], caption?: string): TableData {
  const rows = history.map((record) => COLUMNS.map(([, key]) => {
    const value = record[key];
    return value === undefined ? "" : key === "epoch" ? String(value) : formatSignificant(value, 6);
  }));
  return tableData(METRICS_CSV_HEADER, rows, METRICS_CSV_HEADER.map(() => "right"), caption);
}
