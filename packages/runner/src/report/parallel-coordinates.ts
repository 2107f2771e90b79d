/**
 * Parallel coordinates of a sweep's trials: one vertical axis per swept parameter and one for the
 * metric, each scaled to its own range (log10 for parameters that are all > 0), one line per trial
 * coloured by its metric.
 */
import { CHART_SIZE, CONFIG, FAILED_COLOR } from "./chart-style.js";
import { paramLabel } from "./param-labels.js";
import { formatSignificant } from "./number-format.js";
import { isSuccessful, type SweepTrial } from "./types.js";
import type { ChartSpec } from "./vega-render.js";

interface AxisRange {
  key: string;
  label: string;
  log: boolean;
  low: number;
  high: number;
}

function axisRange(key: string, label: string, values: readonly number[]): AxisRange {
  const log = values.length > 0 && values.every((v) => v > 0);
  const t = values.map((v) => (log ? Math.log10(v) : v));
  return { key, label, log, low: Math.min(...t), high: Math.max(...t) };
}

/** Layer "trials": one line per trial with a finite value on every axis. */
export function parallelCoordinatesSpec(trials: readonly SweepTrial[], parameters: readonly string[], metricName: string, title?: string): ChartSpec {
  // Ranked trials last, so their coloured lines lie over the grey ones.
  const drawn = trials
    .filter((t) => Number.isFinite(t.metric) && parameters.every((p) => Number.isFinite(t.params[p])))
    .sort((a, b) => Number(isSuccessful(a)) - Number(isSuccessful(b)));
  const ranked = drawn.filter(isSuccessful).map((t) => t.metric);
  const value = (t: SweepTrial, key: string): number => (key === "\u0000metric" ? t.metric : t.params[key]);
  const axes = [
    ...parameters.map((p) => axisRange(p, paramLabel(p), drawn.map((t) => t.params[p]))),
    { ...axisRange("\u0000metric", metricName, drawn.map((t) => t.metric)), log: false, ...minMax(drawn.map((t) => t.metric)) },
  ];
  const position = (a: AxisRange, v: number): number => {
    const x = a.log ? Math.log10(v) : v;
    return a.high === a.low ? 0.5 : (x - a.low) / (a.high - a.low);
  };
  const rows = drawn.flatMap((t, i) =>
    axes.map((a, k) => ({
      trial: i, axis: k, axisLabel: a.label, position: position(a, value(t, a.key)), value: formatSignificant(value(t, a.key), 6),
      metric: t.metric, ranked: isSuccessful(t) ? "ranked" : t.status,
    })),
  );
  const ticks = axes.flatMap((a, k) =>
    [0, 1].map((position) => {
      const raw = a.low + position * (a.high - a.low);
      return { axis: k, position, text: formatSignificant(a.log ? 10 ** raw : raw, 3) };
    }),
  );
  const x = { field: "axis", type: "ordinal", title: null, axis: { labelExpr: `[${axes.map((a) => JSON.stringify(a.label)).join(",")}][datum.value]`, labelAngle: 0, labelPadding: 12, domain: false, ticks: false } } as const;
  const y = { field: "position", type: "quantitative" as const, axis: null, scale: { domain: [0, 1] } };
  return {
    title: title ?? `Trials over ${parameters.map(paramLabel).join(", ")} and ${metricName}`,
    width: Math.max(CHART_SIZE.width, 140 * axes.length),
    height: CHART_SIZE.height,
    config: CONFIG,
    layer: [
      { data: { values: axes.map((_, k) => ({ axis: k })) }, mark: { type: "rule", color: "#999999" }, encoding: { x } },
      {
        name: "trials",
        data: { values: rows },
        mark: { type: "line", strokeWidth: 1.2, opacity: 0.7 },
        encoding: {
          x, y,
          detail: { field: "trial", type: "nominal" },
          // Coloured over the ranked trials' range, as in the scatter; pruned and failed ones are grey.
          color: ranked.length > 0
            ? { condition: { test: "datum.ranked !== 'ranked'", value: FAILED_COLOR }, field: "metric", type: "quantitative", title: metricName, scale: { scheme: "viridis", domain: [Math.min(...ranked), Math.max(...ranked)] } }
            : { value: FAILED_COLOR },
        },
      },
      { data: { values: ticks }, mark: { type: "text", dx: 4, align: "left", fontSize: 10, color: "#555555" }, encoding: { x, y, text: { field: "text", type: "nominal" } } },
    ],
  };
}

function minMax(values: readonly number[]): { low: number; high: number } {
  return { low: Math.min(...values), high: Math.max(...values) };
}
