/** Value-axis settings shared by the charts. */

export type AxisScale = "linear" | "log";

/** Vega-Lite scale of a value axis: log, or linear without forcing zero into the domain. */
export function axisScale(scale: AxisScale): { type: "log" } | { zero: false } {
  return scale === "log" ? { type: "log" } : { zero: false };
}

/**
 * On a log axis spanning at least a decade, label only the powers of ten (1e-6 … 0.001, 0.01, …, 1000,
 * 1e+4 …); the 2·10ᵏ, 3·10ᵏ… ticks keep their grid lines but stay unlabelled.
 */
export function logAxisLabels(scale: AxisScale, values: readonly number[]): { labelExpr: string } | Record<string, never> {
  const positive = values.filter((v) => v > 0);
  if (scale !== "log" || positive.length === 0 || Math.log10(Math.max(...positive) / Math.min(...positive)) < 1) return {};
  const power = "log(datum.value) / LN10";
  return {
    labelExpr: `abs(${power} - round(${power})) > 1e-6 ? '' : (datum.value < 0.001 || datum.value >= 1e4) ? format(datum.value, '.0e') : format(datum.value, '~g')`,
  };
}
