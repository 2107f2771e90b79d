/** Tables of a run's results that only the HTML report shows: final metrics per split, every trial of a stage. */
import { formatFixed, formatSignificant } from "./number-format.js";
import { paramLabel } from "./param-labels.js";
import { tableData, type TableData } from "./table-data.js";
import type { SweepTrial } from "./types.js";

export interface SplitEvaluation {
  loss: number;
  cost: number;
  accuracy: number;
  count: number;
}

/** Loss, cost, accuracy and sample count of each split that was evaluated at the end. */
export function finalMetricsTableData(final: Readonly<Partial<Record<"train" | "validation" | "test", SplitEvaluation>>>, caption?: string): TableData {
  const rows = (["train", "validation", "test"] as const)
    .flatMap((split) => {
      const e = final[split];
      return e === undefined ? [] : [[split, formatSignificant(e.loss, 6), formatSignificant(e.cost, 6), formatFixed(100 * e.accuracy, 2), String(e.count)]];
    });
  return tableData(["Split", "Loss", "Cost", "Accuracy (%)", "Samples"], rows, ["left", "right", "right", "right", "right"], caption);
}

/** Every trial in the given order (the stage's ranking): id, status, epochs, metric and each parameter at full precision. */
export function trialsTableData(trials: readonly (SweepTrial & { id?: string; message?: string })[], parameters: readonly string[], metricName: string, caption?: string): TableData {
  const rows = trials.map((t) => [
    t.id ?? "", t.status, String(t.epochs ?? ""), Number.isFinite(t.metric) ? formatFixed(t.metric, 4) : "—",
    ...parameters.map((p) => (t.params[p] === undefined ? "—" : String(t.params[p]))), t.message ?? "",
  ]);
  const header = ["Trial", "Status", "Epochs", metricName, ...parameters.map(paramLabel), "Note"];
  return tableData(header, rows, ["left", "left", "right", "right", ...parameters.map(() => "right" as const), "left"], caption);
}
