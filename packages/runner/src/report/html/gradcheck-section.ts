/** A gradient check: per λ the statistics table, and per parameter where its relative errors lie. */
import type { ErrorDistribution } from "../../experiments/gradcheck-errors.js";
import type { GradcheckCase } from "../../run/summary.js";
import { heatmapSpec } from "../heatmap-chart.js";
import { logHistogramSpec, type LogBin } from "../histogram-chart.js";
import { gradcheckCaption, gradcheckTableData } from "../tables.js";
import type { ChartSpec } from "../vega-render.js";
import type { ReportPage } from "./page.js";

export function histogramBins(d: ErrorDistribution): LogBin[] {
  const { first, binsPerDecade, counts } = d.histogram;
  return counts.map((count, i) => ({ from: 10 ** ((first + i) / binsPerDecade), to: 10 ** ((first + i + 1) / binsPerDecade), count }));
}

export function gradcheckSection(page: ReportPage, cases: readonly GradcheckCase[]): void {
  for (const [ci, c] of cases.entries()) {
    page.section(`λ = ${c.lambda}`);
    page.table(gradcheckTableData(c.parameters, gradcheckCaption(c), c.mode));
    page.paragraph("Relative error of each element: |a − n| / max(ε, |a| + |n|), a analytic, n numerical.");
    if (c.errors === undefined) {
      page.paragraph(c.mode === "random" ? "Random directions: one error per direction, no per-element picture." : "No per-element errors were recorded for this check.");
      continue;
    }
    // Every parameter's charts in one wrapping row: the small vectors' histograms sit side by side.
    page.charts(c.errors.flatMap((d) => {
      const check = c.parameters.find((p) => p.name === d.name);
      const shape = check === undefined ? "" : ` (${check.shape.join(" × ")}, ${check.count} checked)`;
      const zeros = d.histogram.zeros > 0 ? `${d.histogram.zeros} element(s) with an error of exactly 0 are not on the log axis.` : undefined;
      const charts: { spec: ChartSpec; name: string; caption?: string }[] = [{
        spec: logHistogramSpec(histogramBins(d), { title: `${d.name}${shape}: relative errors`, xTitle: "relative error" }),
        name: `gradcheck-${ci + 1}-${d.name}-histogram`,
        ...(zeros === undefined ? {} : { caption: zeros }),
      }];
      if (d.heatmap !== undefined) {
        const { rowBlock, colBlock, max } = d.heatmap;
        const cells = max.flatMap((row, r) => row.flatMap((value, col) => (value === null || value <= 0 ? [] : [{ row: r, col, value }])));
        const block = rowBlock === 1 && colBlock === 1 ? "element" : `block of ${rowBlock} × ${colBlock} elements`;
        charts.push({
          spec: heatmapSpec(cells, { title: `${d.name}: largest error per ${block}`, rowTitle: rowBlock === 1 ? "row" : `row block (÷${rowBlock})`, colTitle: colBlock === 1 ? "column" : `column block (÷${colBlock})`, valueTitle: "max error", logColor: true, scheme: "orangered" }),
          name: `gradcheck-${ci + 1}-${d.name}-heatmap`,
        });
      }
      return charts;
    }));
  }
}
