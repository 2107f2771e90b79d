/** Several runs' histories of one metric on shared axes: one colour per run, train solid, validation dashed. */
import { axisScale, logAxisLabels, type AxisScale } from "./axes.js";
import { CHART_SIZE, CONFIG, MAX_POINTS_WITH_SYMBOLS, SERIES_COLORS } from "./chart-style.js";
import { METRIC_TITLES, longestSeries, metricRows } from "./history-rows.js";
import type { EpochMetrics, HistoryMetric } from "./types.js";
import type { ChartSpec } from "./vega-render.js";

export interface NamedHistory {
  name: string;
  history: readonly EpochMetrics[];
}

export interface OverlayChartOptions {
  title?: string;
  yScale?: AxisScale;
}

/** Layer "histories": one line per (run, split), so a page can count them. */
export function overlayChartSpec(runs: readonly NamedHistory[], metric: HistoryMetric, options: OverlayChartOptions = {}): ChartSpec {
  const yScale = metric === "accuracy" ? "linear" : (options.yScale ?? "linear");
  const rows = runs.flatMap((r) => metricRows(r.history, metric, yScale === "log").map((row) => ({ ...row, run: r.name })));
  const names = runs.map((r) => r.name);
  const accuracy = metric === "accuracy" && rows.every((r) => r.value <= 1);
  return {
    // The dash needs no legend of its own: the subtitle says it.
    title: { text: options.title ?? METRIC_TITLES[metric], subtitle: "solid: train · dashed: validation" },
    ...CHART_SIZE,
    config: CONFIG,
    layer: [
      {
        name: "histories",
        data: { values: rows },
        mark: { type: "line", point: Math.max(0, ...runs.map((r) => longestSeries(metricRows(r.history, metric)))) <= MAX_POINTS_WITH_SYMBOLS, tooltip: true },
        encoding: {
          x: { field: "epoch", type: "quantitative", title: "Epoch", axis: { tickMinStep: 1, format: "d" }, scale: { zero: false } },
          y: {
            field: "value", type: "quantitative", title: METRIC_TITLES[metric], scale: axisScale(yScale),
            axis: accuracy ? { format: ".0%" } : logAxisLabels(yScale, rows.map((r) => r.value)),
          },
          color: { field: "run", type: "nominal", title: null, scale: { domain: names, range: names.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]) } },
          strokeDash: { field: "split", type: "nominal", title: null, scale: { domain: ["train", "validation"], range: [[1, 0], [5, 3]] }, legend: null },
        },
      },
    ],
  };
}
