/** One panel of a history figure: train and validation curves of a metric, with title and divergence marker. */
import { axisScale, logAxisLabels, type AxisScale } from "./axes.js";
import { DIVERGED_COLOR, MAX_POINTS_WITH_SYMBOLS, PANEL_SIZE, SPLIT_COLORS, SPLITS, type LayerSpec, type PanelSpec, type Split } from "./chart-style.js";
import { METRIC_TITLES, longestSeries, metricRows, type MetricRow } from "./history-rows.js";
import { divergenceText, type Divergence, type EpochMetrics, type HistoryMetric } from "./types.js";

export interface PanelOptions {
  title: string;
  /** Red second line under the title (e.g. where the run diverged). */
  subtitle?: string;
  /** Reserve the subtitle's line even without one, so titles line up across panels. */
  subtitleRow?: boolean;
  yScale: AxisScale;
  diverged?: Divergence;
  /** Legend entries (default train and validation); give the same list to every panel of a figure. */
  splits?: readonly Split[];
}

const TITLE_GAP = 8;
const SUBTITLE_STEP = 15;

/**
 * Titles are text marks at a fixed distance above the plot area (Vega places real titles relative to
 * the content bounds, so a tick label at the top edge would push one panel's title up).
 */
function titleLayers(options: PanelOptions): LayerSpec[] {
  const lifted = options.subtitle !== undefined || options.subtitleRow === true;
  const at = (y: number, text: string, extra: { fontSize: number; fontWeight?: "bold"; color?: string }): LayerSpec => ({
    data: { values: [{ text }] },
    mark: { type: "text", align: "center", baseline: "bottom", x: PANEL_SIZE.width / 2, y, ...extra },
    encoding: { text: { field: "text", type: "nominal" } },
  });
  const layers = [at(-TITLE_GAP - (lifted ? SUBTITLE_STEP : 0), options.title, { fontSize: 13, fontWeight: "bold" })];
  if (options.subtitle !== undefined) layers.push(at(-TITLE_GAP, options.subtitle, { fontSize: 11, color: DIVERGED_COLOR }));
  return layers;
}

function curveLayer(rows: readonly MetricRow[], metric: HistoryMetric, yScale: AxisScale, splits: readonly Split[]): LayerSpec {
  const accuracy = metric === "accuracy" && rows.every((r) => r.value <= 1);
  return {
    data: { values: [...rows] },
    mark: { type: "line", point: longestSeries(rows) <= MAX_POINTS_WITH_SYMBOLS },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "Epoch", axis: { tickMinStep: 1, format: "d" }, scale: { zero: false } },
      y: {
        field: "value", type: "quantitative", title: METRIC_TITLES[metric], scale: axisScale(yScale),
        axis: accuracy ? { format: ".0%" } : logAxisLabels(yScale, rows.map((r) => r.value)),
      },
      color: {
        field: "split", type: "nominal", title: null,
        scale: { domain: [...splits], range: splits.map((s) => SPLIT_COLORS[s]) },
      },
    },
  };
}

/** A dashed red rule at the epoch in which the run diverged. */
function divergenceLayer(d: Divergence): LayerSpec {
  return {
    data: { values: [{ epoch: d.epoch }] },
    mark: { type: "rule", color: DIVERGED_COLOR, strokeDash: [5, 3], strokeWidth: 1.5 },
    encoding: { x: { field: "epoch", type: "quantitative" } },
  };
}

export function historyPanel(history: readonly EpochMetrics[], metric: HistoryMetric, options: PanelOptions): PanelSpec {
  const yScale = metric === "accuracy" ? "linear" : options.yScale;
  const rows = metricRows(history, metric, yScale === "log");
  const subtitle = options.subtitle ?? (options.diverged === undefined ? undefined : divergenceText(options.diverged));
  return {
    ...PANEL_SIZE,
    layer: [
      curveLayer(rows, metric, yScale, options.splits ?? SPLITS),
      ...(options.diverged === undefined ? [] : [divergenceLayer(options.diverged)]),
      ...titleLayers({ ...options, ...(subtitle === undefined ? {} : { subtitle }) }),
    ],
  };
}
