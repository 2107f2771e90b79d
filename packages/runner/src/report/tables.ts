/** The report's tables as GitHub-flavoured Markdown (pure functions; every result ends with a newline). */
import { paramLabel } from "./param-labels.js";
import { formatExp, formatFixed, formatPercent, formatSignificant } from "./number-format.js";
import { markdownOf, tableData, type TableData } from "./table-data.js";
import { isSuccessful, type SweepTrial } from "./types.js";

export { metricsCsv, METRICS_CSV_HEADER } from "./metrics-csv.js";

export interface GradcheckRow {
  name: string;
  max: number;
  mean: number;
  variance: number;
  worstIndex: readonly number[];
}

/**
 * Max, mean and variance of the relative errors per parameter, as the report's Tables 1–8 (numbers as
 * printf %.3e, e.g. 7.217e-10, 2.588e-03), plus where the worst error is: the element's index, or in
 * random-direction mode the number of the direction (0-based), which is no index. Rows keep the given order.
 */
export function gradcheckTableData(params: readonly GradcheckRow[], caption?: string, mode: "all" | "random" = "all"): TableData {
  const worst = (p: GradcheckRow): string => (mode === "random" ? `${p.worstIndex[0] ?? ""}` : `[${p.worstIndex.join(", ")}]`);
  const rows = params.map((p) => [p.name, formatExp(p.max), formatExp(p.mean), formatExp(p.variance), worst(p)]);
  return tableData(["Gradient", "Max", "μ", "σ²", mode === "random" ? "worst direction" : "worst index"], rows, ["left", "right", "right", "right", "left"], caption);
}

export function gradcheckTable(params: readonly GradcheckRow[], caption?: string, mode: "all" | "random" = "all"): string {
  return markdownOf(gradcheckTableData(params, caption, mode));
}

/** "λ = 0 (batch 100, every element, h = 1e-05, ε = 1e-05; 2.1 s)": the caption of a case's table, in tables.md and report.html. */
export function gradcheckCaption(c: { lambda: number; batch: number; mode: "all" | "random"; sample?: number; h: number; eps: number; seconds: number }): string {
  const how = c.mode === "random" ? "random directions" : c.sample === undefined ? "every element" : `${c.sample} sampled elements per parameter`;
  return `λ = ${c.lambda} (batch ${c.batch}, ${how}, h = ${c.h}, ε = ${c.eps}; ${c.seconds.toFixed(1)} s)`;
}

export interface SweepColumn {
  param: string;
  /** Header text (default: η for eta, λ for lambda, … else the name). */
  label?: string;
}

export interface SweepTableOptions {
  /** Header of the metric column (default "Validation accuracy"). */
  metricLabel?: string;
  /** Decimals of the metric (default 4). */
  metricDecimals?: number;
  /** Significant digits of the parameters (default 8). */
  significant?: number;
  /** Which way is better (default maximize). */
  goal?: "maximize" | "minimize";
}

/**
 * The k best trials by metric, best first (ties keep the given order), as the report's Tables 9–10.
 * Pruned, diverged, failed and errored trials and non-finite metrics are never ranked.
 */
export function sweepTableData(
  trials: readonly SweepTrial[],
  columns: readonly (string | SweepColumn)[],
  k: number,
  caption?: string,
  options: SweepTableOptions = {},
): TableData {
  const cols = columns.map((c) => (typeof c === "string" ? { param: c } : c));
  const sign = options.goal === "minimize" ? -1 : 1;
  const top = trials
    .filter(isSuccessful)
    .map((t, i) => ({ t, i }))
    .sort((a, b) => sign * (b.t.metric - a.t.metric) || a.i - b.i)
    .slice(0, Math.max(0, k))
    .map(({ t }) => t);
  const rows = top.map((t) => [
    formatFixed(t.metric, options.metricDecimals ?? 4),
    ...cols.map((c) => {
      const v = t.params[c.param];
      return v === undefined ? "—" : formatSignificant(v, options.significant ?? 8);
    }),
  ]);
  const header = [options.metricLabel ?? "Validation accuracy", ...cols.map((c) => c.label ?? paramLabel(c.param))];
  return tableData(header, rows, header.map(() => "right"), caption);
}

export function sweepTable(
  trials: readonly SweepTrial[],
  columns: readonly (string | SweepColumn)[],
  k: number,
  caption?: string,
  options: SweepTableOptions = {},
): string {
  return markdownOf(sweepTableData(trials, columns, k, caption, options));
}

export interface AccuracyRow {
  name: string;
  /** Fractions in [0, 1]. */
  trainAccuracy: number | null | undefined;
  testAccuracy: number | null | undefined;
  /** e.g. "diverged at epoch 1, batch 37": shown in both accuracy cells instead of numbers ("ok" is ignored). */
  status?: string;
}

function accuracyCell(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "N/A" : formatPercent(value, 2);
}

/** Train and test accuracy per run as percentages with 2 decimals, as the report's Tables 11–13. */
export function accuracyTableData(rows: readonly AccuracyRow[], caption?: string): TableData {
  const cells = rows.map((r) =>
    r.status !== undefined && r.status !== "" && r.status !== "ok"
      ? [r.name, r.status, r.status]
      : [r.name, accuracyCell(r.trainAccuracy), accuracyCell(r.testAccuracy)],
  );
  return tableData(["", "Train Accuracy", "Test Accuracy"], cells, ["left", "right", "right"], caption);
}

export function accuracyTable(rows: readonly AccuracyRow[], caption?: string): string {
  return markdownOf(accuracyTableData(rows, caption));
}

export interface ComparisonRow {
  label: string;
  ours: number | string;
  theirs: number | string;
  note?: string;
}

export interface ComparisonTableOptions {
  /** Column headers (defaults: "", "Report", "Ours", "Note"). */
  labelHeader?: string;
  theirsHeader?: string;
  oursHeader?: string;
  noteHeader?: string;
  /** Formats numeric cells (default String). */
  format?: (x: number) => string;
  caption?: string;
}

/** The report's number beside ours, one quantity per row; the note column appears only when a row has one. */
export function comparisonTable(rows: readonly ComparisonRow[], options: ComparisonTableOptions = {}): string {
  const format = options.format ?? String;
  const cell = (v: number | string): string => (typeof v === "number" ? format(v) : v);
  const withNotes = rows.some((r) => r.note !== undefined && r.note !== "");
  const header = [options.labelHeader ?? "", options.theirsHeader ?? "Report", options.oursHeader ?? "Ours", ...(withNotes ? [options.noteHeader ?? "Note"] : [])];
  const cells = rows.map((r) => [r.label, cell(r.theirs), cell(r.ours), ...(withNotes ? [r.note ?? ""] : [])]);
  return markdownOf(tableData(header, cells, ["left", "right", "right", "left"], options.caption));
}
