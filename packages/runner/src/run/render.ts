import { accuracyTable, compareChart, gradcheckCaption, gradcheckTable, historyPanels, metricsCsv, pruningTable, stageOutcome, sweepCurves, sweepScatter, sweepTable } from "../report/index.js";
import { runPage } from "../report/html/run-page.js";
import { accuracyRow } from "./accuracy-row.js";
import { pruningText, statusText } from "./run-text.js";
import type { RunFolder } from "./run-folder.js";
import type { RunSummary } from "./summary.js";

export const HTML_REPORT = "report.html";
export const RESOLVED_SPEC = "spec.resolved.yaml";

/** Writes tables.md, metrics CSVs, SVG plots and report.html from a summary; `gradspec report` calls it again. */
export async function renderRun(summary: RunSummary, folder: RunFolder): Promise<string[]> {
  const written: string[] = [];
  const write = async (name: string, content: string | Promise<string>): Promise<void> => {
    folder.write(name, await content);
    written.push(name);
  };
  const sections: string[] = [`# ${summary.name}\n`, `Experiment: ${summary.experiment}. Status: ${statusText(summary)}. Time: ${summary.seconds.toFixed(1)} s.\n`];

  if (summary.train) {
    const run = summary.train;
    await write("metrics.csv", metricsCsv(run.history));
    if (run.history.length > 0) await write("history.svg", historyPanels(run.history, { title: summary.name }));
    sections.push(accuracyTable([accuracyRow(run)], "Accuracy"));
  }

  if (summary.gradcheck) {
    for (const c of summary.gradcheck.cases) {
      sections.push(gradcheckTable(c.parameters, gradcheckCaption(c), c.mode));
    }
  }

  if (summary.compare) {
    const variants = summary.compare.variants;
    for (const [i, v] of variants.entries()) {
      await write(`metrics-${i + 1}-${slug(v.name)}.csv`, metricsCsv(v.history));
      if (v.history.length > 0) await write(`history-${i + 1}-${slug(v.name)}.svg`, historyPanels(v.history, { title: v.name }));
    }
    const plotted = variants.map((v) => (v.diverged ? { name: v.name, history: v.history, diverged: v.diverged } : { name: v.name, history: v.history }));
    await write("compare-loss.svg", compareChart(plotted, "loss", { title: "Loss" }));
    await write("compare-accuracy.svg", compareChart(plotted, "accuracy", { title: "Accuracy" }));
    sections.push(accuracyTable(variants.map(accuracyRow), "Accuracy by variant"));
  }

  if (summary.sweep) {
    const sweep = summary.sweep;
    const [x, y] = sweep.parameters;
    const goal = sweep.goal === "minimize" ? "minimize" : "maximize";
    for (const [i, stage] of sweep.stages.entries()) {
      const pruning = stage.earlyTerminate === undefined ? "" : `; ${pruningText(stage.earlyTerminate)}`;
      const heading = `Stage ${i + 1} (${stage.name}): ${stage.trials.length} trials × ${stage.epochs} epochs; ${sweep.metric}, ${sweep.goal}${pruning}: ${stageOutcome(stage.trials, stage.epochs)}`;
      sections.push(sweepTable(stage.trials, sweep.parameters, Math.min(10, stage.trials.length), heading, { goal }));
      if (stage.earlyTerminate !== undefined) sections.push(pruningTable(stage.trials, `Stage ${i + 1} (${stage.name}): early termination, per epoch judged`));
      if (x !== undefined && y !== undefined && stage.trials.length > 0) {
        await write(`sweep-${i + 1}-${slug(stage.name)}.svg`, sweepScatter(stage.trials, x, y, sweep.metric, { title: `Stage ${i + 1}: ${stage.name}`, goal }));
      }
      if (stage.trials.some((t) => (t.curve ?? []).length > 1)) {
        const rungs = stage.earlyTerminate !== undefined && "rungs" in stage.earlyTerminate ? stage.earlyTerminate.rungs : [];
        await write(`sweep-${i + 1}-${slug(stage.name)}-curves.svg`, sweepCurves(stage.trials, sweep.metric, { title: `Stage ${i + 1}: ${stage.name}, ${sweep.metric} per epoch`, rungs }));
      }
    }
    if (sweep.final) {
      for (const [i, v] of sweep.final.entries()) {
        await write(`final-${i + 1}-metrics.csv`, metricsCsv(v.history));
        if (v.history.length > 0) await write(`final-${i + 1}-history.svg`, historyPanels(v.history, { title: v.name }));
      }
      sections.push(accuracyTable(sweep.final.map(accuracyRow), "Final training of the best trials"));
    }
  }
  await write("tables.md", `${sections.join("\n")}\n`);
  written.push(writeHtmlReport(summary, folder));
  return written;
}

/** report.html: the run as one self-contained page (gradspec report DIR --html writes only this). */
export function writeHtmlReport(summary: RunSummary, folder: RunFolder): string {
  folder.write(HTML_REPORT, runPage({ summary, ...(folder.has(RESOLVED_SPEC) ? { specYaml: folder.read(RESOLVED_SPEC) } : {}) }));
  return HTML_REPORT;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "variant";
}
