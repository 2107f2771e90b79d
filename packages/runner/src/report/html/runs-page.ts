/** Several run folders on one page: their histories overlaid and the differences of their specs. */
import type { RunSummary, TrainedRun } from "../../run/summary.js";
import { statusText } from "../../run/run-text.js";
import { overlayChartSpec, type NamedHistory } from "../overlay-chart.js";
import { specDifferencesTableData } from "../spec-differences.js";
import { tableData } from "../table-data.js";
import { formatPercent } from "../number-format.js";
import { ReportPage } from "./page.js";

export interface ComparedRun {
  /** How the run is named on the page (its folder's name). */
  label: string;
  summary: RunSummary;
  spec: Record<string, unknown> | undefined;
}

/** The trained networks of a run: the run itself, its variants, or its final retrainings. */
function trainedRuns(summary: RunSummary): TrainedRun[] {
  return [...(summary.train ? [summary.train] : []), ...(summary.compare?.variants ?? []), ...(summary.sweep?.final ?? [])];
}

export function historiesOf(run: ComparedRun): NamedHistory[] {
  const trained = trainedRuns(run.summary).filter((t) => t.history.length > 0);
  return trained.map((t) => ({ name: trained.length === 1 && run.summary.train ? run.label : `${run.label}: ${t.name}`, history: t.history }));
}

export function runsPage(runs: readonly ComparedRun[]): string {
  const page = new ReportPage(`${runs.length} runs compared`);
  page.section("Runs");
  const accuracy = (t: TrainedRun | undefined, split: "train" | "validation" | "test"): string => {
    const value = t?.final[split]?.accuracy;
    return value === undefined ? "—" : formatPercent(value);
  };
  page.table(tableData(
    ["Run", "Experiment", "Status", "Networks trained", "Best test accuracy"],
    runs.map((r) => {
      const trained = trainedRuns(r.summary);
      const best = trained.reduce<TrainedRun | undefined>((b, t) => ((t.final.test?.accuracy ?? -1) > (b?.final.test?.accuracy ?? -1) ? t : b), undefined);
      return [r.label, r.summary.experiment, statusText(r.summary), String(trained.length), accuracy(best, "test")];
    }),
    ["left", "left", "left", "right", "right"],
  ));
  const histories = runs.flatMap(historiesOf);
  page.section("Histories overlaid");
  if (histories.length === 0) page.paragraph("None of these runs trained a network per epoch (gradient checks, or sweeps without final retrainings).");
  else {
    page.charts((["loss", "cost", "accuracy"] as const).map((metric) => ({ spec: overlayChartSpec(histories, metric), name: `overlay-${metric}` })));
    page.paragraph("Solid: train; dashed: validation. One colour per run (or per variant and final retraining).");
  }
  page.section("Spec differences");
  const differences = specDifferencesTableData(runs.map((r) => ({ label: r.label, spec: r.spec })), "Keys of spec.resolved.yaml that differ (—: absent)");
  if (differences.rows.length === 0) page.paragraph("The resolved specs are the same (apart from name and description).");
  else page.table(differences, "spec-differences");
  return page.render({ subtitle: runs.map((r) => r.label).join(" · ") });
}
