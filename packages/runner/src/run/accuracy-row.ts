import type { TrainedRun } from "./summary.js";
import type { AccuracyRow } from "../report/tables.js";

/** A trained run's row of the accuracy table (a diverged or failed run shows its message instead). */
export function accuracyRow(run: TrainedRun): AccuracyRow {
  const row: AccuracyRow = { name: run.name, trainAccuracy: run.final.train?.accuracy ?? null, testAccuracy: run.final.test?.accuracy ?? null };
  if (run.message !== undefined) row.status = run.message;
  return row;
}
