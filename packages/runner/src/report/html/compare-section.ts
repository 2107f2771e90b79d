/** A compare run: the variants overlaid on shared axes, then the report's per-variant panels. */
import type { TrainedRun } from "../../run/summary.js";
import { overlayChartSpec } from "../overlay-chart.js";
import { compareChartSpec } from "../plots.js";
import { accuracyTableData } from "../tables.js";
import { accuracyRow } from "../../run/accuracy-row.js";
import { historySection } from "./history-section.js";
import type { ReportPage } from "./page.js";

export function compareSection(page: ReportPage, variants: readonly TrainedRun[]): void {
  page.section("Variants overlaid");
  page.charts((["loss", "cost", "accuracy"] as const).map((metric) => ({ spec: overlayChartSpec(variants, metric), name: `overlay-${metric}` })));
  page.paragraph("Solid: train; dashed: validation. One colour per variant.");
  page.table(accuracyTableData(variants.map(accuracyRow), "Accuracy by variant"));
  page.section("One panel per variant");
  const plotted = variants.map((v) => (v.diverged ? { name: v.name, history: v.history, diverged: v.diverged } : { name: v.name, history: v.history }));
  page.chart(compareChartSpec(plotted, "loss", { title: "Loss" }), "panels-loss");
  page.chart(compareChartSpec(plotted, "accuracy", { title: "Accuracy" }), "panels-accuracy");
  for (const [i, v] of variants.entries()) {
    page.heading(`Variant ${i + 1}: ${v.name}`);
    historySection(page, v, `variant-${i + 1}`);
  }
}
