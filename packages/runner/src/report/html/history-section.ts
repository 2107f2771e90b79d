/** One trained network on a page: its curves, learning rate, final metrics and (train runs) confusion matrix. */
import type { TrainedRun } from "../../run/summary.js";
import { heatmapSpec } from "../heatmap-chart.js";
import { metricsTableData } from "../metrics-csv.js";
import { historyPanelsSpec, lineChartSpec } from "../plots.js";
import { finalMetricsTableData } from "../run-tables.js";
import type { ReportPage } from "./page.js";

export interface HistorySectionOptions {
  /** Say so when there is no confusion matrix for want of a test split (train runs count one). */
  expectConfusion?: boolean;
}

export function historySection(page: ReportPage, run: TrainedRun, chartName: string, options: HistorySectionOptions = {}): void {
  if (run.message !== undefined) page.paragraph(`${run.status}: ${run.message}`, `status-${run.status}`);
  if (run.history.length > 0) {
    page.chart(historyPanelsSpec(run.history, { title: run.name }), `${chartName}-history`, "Per epoch, train and validation (train in evaluation mode over the whole split after each epoch).");
    const rates = run.history.filter((r) => r.epoch > 0 && r.learningRate !== undefined).map((r) => ({ x: r.epoch, y: r.learningRate as number }));
    if (rates.length > 0) {
      page.chart(lineChartSpec({ title: "Learning rate", xLabel: "Epoch", yLabel: "η", series: [{ name: "learning rate", points: rates }] }), `${chartName}-learning-rate`);
    }
  }
  page.table(finalMetricsTableData(run.final, `${run.name}: final metrics (test: once, after the last epoch)`));
  const confusion = run.final.test?.confusion;
  if (confusion !== undefined) {
    const cells = confusion.flatMap((row, r) => row.map((value, c) => ({ row: r, col: c, value })));
    page.chart(
      heatmapSpec(cells, { title: "Confusion matrix (test)", rowTitle: "true class", colTitle: "predicted class", valueTitle: "images", labels: confusion.length <= 12 }),
      `${chartName}-confusion`,
      "Rows: true class; columns: the class the network predicted.",
    );
  }
  else if (options.expectConfusion === true && run.final.test === undefined) page.paragraph("No test split, so no confusion matrix.");
  if (run.history.length > 0) page.foldedTable(`${run.name}: metrics per epoch (${run.history.length} rows)`, metricsTableData(run.history));
}
