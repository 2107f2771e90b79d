/**
 * The report's charts. Each `…Spec` function takes plain data and returns the Vega-Lite spec (the HTML
 * report embeds it); the function of the same name without `Spec` renders it headless to a standalone
 * SVG document string (with xmlns, white background).
 */
import { axisScale, logAxisLabels, type AxisScale } from "./axes.js";
import { CHART_SIZE, CONFIG, DIVERGED_COLOR, FAILED_COLOR, MAX_POINTS_WITH_SYMBOLS, SERIES_COLORS, type LayerSpec } from "./chart-style.js";
import { historyPanel } from "./history-panel.js";
import { paramLabel } from "./param-labels.js";
import { METRIC_TITLES, splitsIn } from "./history-rows.js";
import { isSuccessful, type EpochMetrics, type HistoryMetric, type SweepTrial, type Variant } from "./types.js";
import { renderSvg, type ChartSpec, type RenderOptions } from "./vega-render.js";

export type { AxisScale } from "./axes.js";

export interface LineSeries {
  name: string;
  points: readonly { x: number; y: number }[];
}

export interface LineChartOptions extends RenderOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  yScale?: AxisScale;
  /** Draw a symbol at every point (default: when no series has more than 60 points). */
  points?: boolean;
}

/** Lines of (x, y) points, one colour per series, legend in the given series order. Non-finite points (and ≤ 0 on a log axis) are left out. */
export function lineChartSpec(options: Omit<LineChartOptions, keyof RenderOptions>): ChartSpec {
  const yScale = options.yScale ?? "linear";
  const rows = options.series.flatMap((s) =>
    s.points
      .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (yScale !== "log" || p.y > 0))
      .map((p) => ({ series: s.name, x: p.x, y: p.y })),
  );
  const names = options.series.map((s) => s.name);
  const symbols = options.points ?? Math.max(0, ...options.series.map((s) => s.points.length)) <= MAX_POINTS_WITH_SYMBOLS;
  return {
    title: options.title,
    ...CHART_SIZE,
    config: CONFIG,
    data: { values: rows },
    mark: { type: "line", point: symbols },
    encoding: {
      x: { field: "x", type: "quantitative", title: options.xLabel, scale: { zero: false } },
      y: { field: "y", type: "quantitative", title: options.yLabel, scale: axisScale(yScale), axis: logAxisLabels(yScale, rows.map((r) => r.y)) },
      color: {
        field: "series", type: "nominal", title: null,
        scale: { domain: names, range: names.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]) },
      },
    },
  };
}

export async function lineChart(options: LineChartOptions): Promise<string> {
  return renderSvg(lineChartSpec(options), options);
}

export interface HistoryPanelsOptions extends RenderOptions {
  title?: string;
  /** Which panels, left to right (default loss, cost, accuracy). */
  metrics?: readonly HistoryMetric[];
  /** Scale of the loss and cost axes (accuracy is always linear). */
  yScale?: AxisScale;
}

/** Loss, cost and accuracy per epoch side by side, train vs validation (the report's Figures 1, 3–5, 10). */
export function historyPanelsSpec(history: readonly EpochMetrics[], options: HistoryPanelsOptions = {}): ChartSpec {
  const metrics = options.metrics ?? ["loss", "cost", "accuracy"];
  return {
    ...(options.title === undefined ? {} : { title: options.title }),
    config: CONFIG,
    hconcat: metrics.map((metric) =>
      historyPanel(history, metric, { title: METRIC_TITLES[metric], yScale: options.yScale ?? "linear", splits: splitsIn([history], metrics) }),
    ),
    resolve: { scale: { color: "shared" }, legend: { color: "shared" } },
  };
}

export async function historyPanels(history: readonly EpochMetrics[], options: HistoryPanelsOptions = {}): Promise<string> {
  return renderSvg(historyPanelsSpec(history, options), options);
}

export interface CompareChartOptions extends RenderOptions {
  title?: string;
  yScale?: AxisScale;
  /** Same y axis for every variant (default true), so the panels compare at a glance. */
  sharedY?: boolean;
}

/**
 * One panel per variant, side by side (the report's Figures 2 and 6–9), each with train and validation
 * of `metric` over a common epoch axis. A variant that diverged gets a dashed red rule at that epoch
 * and a red subtitle "diverged at epoch E, batch B".
 */
export function compareChartSpec(variants: readonly Variant[], metric: HistoryMetric, options: CompareChartOptions = {}): ChartSpec {
  const subtitleRow = variants.some((v) => v.diverged !== undefined);
  const splits = splitsIn(variants.map((v) => v.history), [metric]);
  return {
    title: options.title ?? METRIC_TITLES[metric],
    config: CONFIG,
    hconcat: variants.map((v) =>
      historyPanel(v.history, metric, {
        title: v.name, subtitleRow, splits, yScale: options.yScale ?? "linear", ...(v.diverged === undefined ? {} : { diverged: v.diverged }),
      }),
    ),
    resolve: { scale: { color: "shared", x: "shared", y: (options.sharedY ?? true) ? "shared" : "independent" }, legend: { color: "shared" } },
  };
}

export async function compareChart(variants: readonly Variant[], metric: HistoryMetric, options: CompareChartOptions = {}): Promise<string> {
  return renderSvg(compareChartSpec(variants, metric, options), options);
}

export interface SweepScatterOptions extends RenderOptions {
  title?: string;
  /** Axis scales (default log for an axis whose values are all > 0, else linear). */
  xScale?: AxisScale;
  yScale?: AxisScale;
  /** Ring the best trial (default true). */
  highlightBest?: boolean;
  /** Which way the metric is better (default maximize). */
  goal?: "maximize" | "minimize";
  /** Hovering a trial shows every value of it (its id, status, epochs, metric and parameters). */
  tooltip?: boolean;
  /** A dashed box: the ranges of x and y that the next stage searches. */
  nextRanges?: { x: readonly [number, number]; y: readonly [number, number] };
}

/** A trial in a sweep: its place in the stage (id) and, for tooltips, its values as they were recorded. */
export type RankedTrial = SweepTrial & { id?: string };

type TrialPoint = Record<string, string | number>;

/** The fields of a trial's tooltip, in order: exact values as text (String(x) reads back bit for bit). */
function tooltipRow(t: RankedTrial, metricName: string, params: readonly string[]): Record<string, string> {
  const row: Record<string, string> = { trial: t.id ?? "", status: t.status, epochs: String(t.epochs ?? ""), [metricName]: String(t.metric) };
  for (const p of params) row[p] = t.params[p] === undefined ? "" : String(t.params[p]);
  return row;
}

/**
 * Trials of a sweep at (params[x], params[y]), coloured by their metric (viridis). Pruned trials are
 * hollow grey circles, diverged or failed ones grey crosses; the best trial is ringed in red. Trials
 * missing either parameter (or ≤ 0 on a log axis) are left out. Layers are named (trials, pruned,
 * failed, best, next-ranges) so a page can find their marks.
 */
export function sweepScatterSpec(trials: readonly RankedTrial[], x: string, y: string, metricName: string, options: SweepScatterOptions = {}): ChartSpec {
  const located = trials.filter((t) => Number.isFinite(t.params[x]) && Number.isFinite(t.params[y]));
  const autoScale = (key: string): AxisScale => (located.length > 0 && located.every((t) => t.params[key] > 0) ? "log" : "linear");
  const xScale = options.xScale ?? autoScale(x);
  const yScale = options.yScale ?? autoScale(y);
  const onAxes = located.filter((t) => (xScale !== "log" || t.params[x] > 0) && (yScale !== "log" || t.params[y] > 0));
  const params = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  const tooltipFields = options.tooltip === true ? Object.keys(tooltipRow({ params: {}, metric: 0, status: "" }, metricName, params)) : [];
  // Vega-Lite reads dots and brackets in field names as paths; the tooltip's names are escaped.
  const fieldName = (name: string): string => name.replace(/[.[\]\\]/g, (c) => `\\${c}`);
  const tooltip = tooltipFields.length === 0 ? {} : { tooltip: tooltipFields.map((f) => ({ field: fieldName(f), type: "nominal" as const, title: f })) };
  const point = (t: RankedTrial): TrialPoint => ({
    ...(options.tooltip === true ? tooltipRow(t, metricName, params) : {}),
    x: t.params[x], y: t.params[y], metric: t.metric, status: t.status,
  });
  const ok = onAxes.filter(isSuccessful);
  const pruned = onAxes.filter((t) => t.status === "pruned");
  const failed = onAxes.filter((t) => !isSuccessful(t) && t.status !== "pruned");
  const better = (a: number, b: number): boolean => (options.goal === "minimize" ? a < b : a > b);
  const best = ok.reduce<SweepTrial | undefined>((b, t) => (b === undefined || better(t.metric, b.metric) ? t : b), undefined);

  const boxValues = options.nextRanges === undefined ? [] : [options.nextRanges.x[0], options.nextRanges.x[1]];
  const boxY = options.nextRanges === undefined ? [] : [options.nextRanges.y[0], options.nextRanges.y[1]];
  const xEnc = { field: "x", type: "quantitative", title: paramLabel(x), scale: axisScale(xScale), axis: logAxisLabels(xScale, [...onAxes.map((t) => t.params[x]), ...boxValues]) } as const;
  const yEnc = { field: "y", type: "quantitative", title: paramLabel(y), scale: axisScale(yScale), axis: logAxisLabels(yScale, [...onAxes.map((t) => t.params[y]), ...boxY]) } as const;
  // Drawn first, so the trials lie on top and take the pointer (their tooltips).
  const below: LayerSpec[] = [];
  if (best !== undefined && (options.highlightBest ?? true)) {
    below.push({
      name: "best",
      data: { values: [point(best)] },
      mark: { type: "point", filled: false, size: 260, strokeWidth: 2, color: DIVERGED_COLOR },
      encoding: { x: xEnc, y: yEnc },
    });
  }
  if (options.nextRanges !== undefined) {
    const [x0, x1] = options.nextRanges.x;
    const [y0, y1] = options.nextRanges.y;
    below.push({
      name: "next-ranges",
      data: { values: [{ x: x0, x2: x1, y: y0, y2: y1 }] },
      mark: { type: "rect", fillOpacity: 0, stroke: DIVERGED_COLOR, strokeDash: [6, 3], strokeWidth: 1.5 },
      encoding: { x: xEnc, x2: { field: "x2" }, y: yEnc, y2: { field: "y2" } },
    });
  }
  const layers: LayerSpec[] = [
    ...below,
    {
      name: "trials",
      data: { values: ok.map(point) },
      mark: { type: "point", filled: true, size: 70, opacity: 0.9 },
      encoding: {
        x: xEnc, y: yEnc, ...tooltip,
        ...(ok.length === 0 ? {} : { color: { field: "metric", type: "quantitative", title: metricName, scale: { scheme: "viridis" } } }),
      },
    },
  ];
  if (pruned.length > 0) {
    layers.push({
      name: "pruned",
      data: { values: pruned.map((t) => ({ ...point(t), status: `pruned (${pruned.length})` })) },
      mark: { type: "point", filled: false, size: 40, strokeWidth: 1, color: FAILED_COLOR },
      encoding: { x: xEnc, y: yEnc, ...tooltip, opacity: { field: "status", type: "nominal", title: null, scale: { range: [0.8] } } },
    });
  }
  if (failed.length > 0) {
    layers.push({
      name: "failed",
      data: { values: failed.map(point) },
      mark: { type: "point", filled: true, size: 60, color: FAILED_COLOR },
      encoding: { x: xEnc, y: yEnc, ...tooltip, shape: { field: "status", type: "nominal", title: "not ranked", scale: { range: ["cross", "triangle-up", "square", "diamond"] } } },
    });
  }
  return {
    title: options.title ?? `${metricName} over ${paramLabel(x)} and ${paramLabel(y)}`,
    ...CHART_SIZE,
    config: CONFIG,
    layer: layers,
    resolve: { scale: { color: "independent", shape: "independent", opacity: "independent" } },
  };
}

export async function sweepScatter(trials: readonly RankedTrial[], x: string, y: string, metricName: string, options: SweepScatterOptions = {}): Promise<string> {
  return renderSvg(sweepScatterSpec(trials, x, y, metricName, options), options);
}

export interface SweepCurvesOptions extends RenderOptions {
  title?: string;
  /** Epochs at which trials were judged (drawn as dotted rules). */
  rungs?: readonly number[];
}

/**
 * Every trial's metric per epoch: completed trials in colour, pruned ones in grey ending in a cross at
 * the epoch they were stopped; dotted rules at the rungs. Layers: curves, pruned-ends, rungs.
 */
export function sweepCurvesSpec(trials: readonly SweepTrial[], metricName: string, options: SweepCurvesOptions = {}): ChartSpec {
  const withCurves = trials.map((t, i) => ({ t, i })).filter(({ t }) => (t.curve ?? []).some(Number.isFinite));
  const rows = withCurves.flatMap(({ t, i }) =>
    (t.curve ?? []).map((y, e) => ({ trial: i, epoch: e + 1, y, status: t.status === "ok" ? "completed" : t.status })).filter((r) => Number.isFinite(r.y)),
  );
  const ends = withCurves
    .filter(({ t }) => t.status === "pruned")
    .map(({ t, i }) => ({ trial: i, epoch: (t.curve ?? []).length, y: (t.curve ?? [])[(t.curve ?? []).length - 1] }))
    .filter((r) => Number.isFinite(r.y));
  const x = { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1 } } as const;
  const y = { field: "y", type: "quantitative", title: metricName, scale: { zero: false } } as const;
  const statuses = ["completed", "pruned", "diverged", "failed"];
  const layers: LayerSpec[] = [
    {
      name: "curves",
      data: { values: rows },
      mark: { type: "line", strokeWidth: 1, opacity: 0.6 },
      encoding: {
        x, y,
        detail: { field: "trial", type: "nominal" },
        color: { field: "status", type: "nominal", title: null, scale: { domain: statuses, range: [SERIES_COLORS[0], FAILED_COLOR, DIVERGED_COLOR, "#444444"] } },
      },
    },
  ];
  if (ends.length > 0) layers.push({ name: "pruned-ends", data: { values: ends }, mark: { type: "point", shape: "cross", size: 30, color: FAILED_COLOR, filled: true }, encoding: { x, y } });
  if ((options.rungs ?? []).length > 0) {
    layers.push({ name: "rungs", data: { values: (options.rungs ?? []).map((epoch) => ({ epoch })) }, mark: { type: "rule", strokeDash: [3, 3], color: "#555555" }, encoding: { x } });
  }
  return { title: options.title ?? `${metricName} per epoch`, ...CHART_SIZE, config: CONFIG, layer: layers };
}

export async function sweepCurves(trials: readonly SweepTrial[], metricName: string, options: SweepCurvesOptions = {}): Promise<string> {
  return renderSvg(sweepCurvesSpec(trials, metricName, options), options);
}
