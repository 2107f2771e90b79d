/** The report.html of one run folder, whatever its experiment. */
import type { RunSummary } from "../../run/summary.js";
import { statusText } from "../../run/run-text.js";
import { accuracyTableData } from "../tables.js";
import { accuracyRow } from "../../run/accuracy-row.js";
import { compareSection } from "./compare-section.js";
import { escapeHtml } from "./escape.js";
import { gradcheckSection } from "./gradcheck-section.js";
import { historySection } from "./history-section.js";
import { ReportPage, type LiveView } from "./page.js";
import { sweepSection } from "./sweep-section.js";

/** A run's summary, or what a folder shows while its run goes on (or after it was stopped). */
export type PageSummary = Omit<RunSummary, "status"> & { status: RunSummary["status"] | "running" | "interrupted" };

export interface RunPageInput {
  summary: PageSummary;
  /** spec.resolved.yaml, shown at the end. */
  specYaml?: string;
  /** Served by gradspec serve while the run goes on. */
  live?: LiveView;
}

export function runPage({ summary, specYaml, live }: RunPageInput): string {
  const page = new ReportPage(summary.name);
  if (summary.train) {
    page.section("Training");
    page.table(accuracyTableData([accuracyRow(summary.train)], "Accuracy"));
    historySection(page, summary.train, "train", { expectConfusion: true });
  }
  if (summary.compare) compareSection(page, summary.compare.variants);
  if (summary.gradcheck) gradcheckSection(page, summary.gradcheck.cases);
  if (summary.sweep) sweepSection(page, summary.sweep);
  if (specYaml !== undefined) {
    page.section("Resolved spec");
    page.markup(`<pre class="spec">${escapeHtml(specYaml)}</pre>`);
  }
  const time = Number.isFinite(summary.seconds) ? ` · ${summary.seconds.toFixed(1)} s` : "";
  const subtitle = `${escapeHtml(summary.experiment)} · <span class="status-${escapeHtml(summary.status)}">${escapeHtml(statusText(summary))}</span> · started ${escapeHtml(summary.started)}${time}`;
  return page.render({ subtitle, ...(live === undefined ? {} : { live }) });
}
