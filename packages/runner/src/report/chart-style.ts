/** Shared look of the report's charts, and the Vega-Lite sub-spec types derived from the public TopLevelSpec. */
import type { ChartSpec } from "./vega-render.js";

/** A chart inside hconcat/vconcat. */
export type PanelSpec = Extract<ChartSpec, { hconcat: unknown }>["hconcat"][number];
/** One layer of a layered chart. */
export type LayerSpec = Extract<ChartSpec, { layer: unknown }>["layer"][number];
export type ChartConfig = NonNullable<ChartSpec["config"]>;

export const SPLITS = ["train", "validation"] as const;
export type Split = (typeof SPLITS)[number];

export const SPLIT_COLORS: Readonly<Record<Split, string>> = { train: "#1f77b4", validation: "#ff7f0e" };
export const DIVERGED_COLOR = "#d62728";
export const FAILED_COLOR = "#8c8c8c";

/** Category colours for series (Tableau 10). */
export const SERIES_COLORS: readonly string[] = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
];

export const PANEL_SIZE = { width: 260, height: 200 } as const;
export const CHART_SIZE = { width: 420, height: 280 } as const;

/** Series longer than this are drawn as plain lines (no point symbols). */
export const MAX_POINTS_WITH_SYMBOLS = 60;

export const CONFIG: ChartConfig = {
  background: "white",
  font: "Helvetica, Arial, sans-serif",
  padding: 8,
  title: { fontSize: 14, anchor: "middle", offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#e6e6e6" },
  legend: { labelFontSize: 11, titleFontSize: 12, titleLimit: 400, labelLimit: 300 },
  view: { stroke: "#bdbdbd" },
};
