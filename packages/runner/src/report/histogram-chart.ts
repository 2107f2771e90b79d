/** Counts per bin on a log x axis (a gradient check's relative errors), bins given as [from, to). */
import { logAxisLabels } from "./axes.js";
import { CONFIG, PANEL_SIZE, SERIES_COLORS } from "./chart-style.js";
import type { ChartSpec } from "./vega-render.js";

export interface LogBin {
  from: number;
  to: number;
  count: number;
}

/** Layer "bins": one bar per bin with a count > 0. */
export function logHistogramSpec(bins: readonly LogBin[], options: { title: string; xTitle: string }): ChartSpec {
  const filled = bins.filter((b) => b.count > 0);
  return {
    title: options.title,
    ...PANEL_SIZE,
    config: CONFIG,
    layer: [
      {
        name: "bins",
        data: { values: filled.map((b) => ({ ...b })) },
        mark: { type: "rect", color: SERIES_COLORS[0], tooltip: true, stroke: "white", strokeWidth: 0.5 },
        encoding: {
          x: { field: "from", type: "quantitative", title: options.xTitle, scale: { type: "log" }, axis: logAxisLabels("log", filled.flatMap((b) => [b.from, b.to])) },
          x2: { field: "to" },
          y: { field: "count", type: "quantitative", title: "elements" },
        },
      },
    ],
  };
}
