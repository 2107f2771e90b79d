/**
 * A sweep: per stage the trials over the swept parameters (hover for every value), parallel
 * coordinates, learning curves with the pruned trials' last epoch marked, the rung table, and the
 * ranges the next stage searched drawn on this one; then the final retrainings.
 */
import type { SweepStageSummary, TrainedRun } from "../../run/summary.js";
import { pruningText } from "../../run/run-text.js";
import { overlayChartSpec } from "../overlay-chart.js";
import { parallelCoordinatesSpec } from "../parallel-coordinates.js";
import { stageOutcome, pruningTableData } from "../pruning.js";
import { sweepCurvesSpec, sweepScatterSpec } from "../plots.js";
import { trialsTableData } from "../run-tables.js";
import { accuracyTableData, sweepTableData } from "../tables.js";
import { accuracyRow } from "../../run/accuracy-row.js";
import { historySection } from "./history-section.js";
import type { ReportPage } from "./page.js";

export interface SweepView {
  metric: string;
  goal: string;
  parameters: string[];
  stages: SweepStageSummary[];
  final?: TrainedRun[];
}

/** [low, high] of a uniform, log-uniform or integer range; undefined for a list of values. */
export function rangeOf(distribution: unknown): [number, number] | undefined {
  if (typeof distribution !== "object" || distribution === null) return undefined;
  for (const key of ["logUniform", "uniform", "intUniform"]) {
    const range = (distribution as Record<string, unknown>)[key];
    if (Array.isArray(range) && range.length === 2 && range.every((v) => typeof v === "number")) return [range[0] as number, range[1] as number];
  }
  return undefined;
}

function nextRanges(next: SweepStageSummary | undefined, x: string, y: string): { x: [number, number]; y: [number, number] } | undefined {
  const rx = rangeOf(next?.ranges[x]);
  const ry = rangeOf(next?.ranges[y]);
  return rx === undefined || ry === undefined ? undefined : { x: rx, y: ry };
}

export function sweepSection(page: ReportPage, sweep: SweepView): void {
  const [x, y] = sweep.parameters;
  const goal = sweep.goal === "minimize" ? "minimize" : "maximize";
  for (const [i, stage] of sweep.stages.entries()) {
    page.section(`Stage ${i + 1}: ${stage.name}`);
    const rule = stage.earlyTerminate === undefined ? "" : `; ${pruningText(stage.earlyTerminate)}`;
    page.paragraph(`${stage.trials.length} trials × ${stage.epochs} epochs; ${sweep.metric}, ${sweep.goal}${rule}: ${stageOutcome(stage.trials, stage.epochs)}.`);
    const next = sweep.stages[i + 1];
    const charts = [];
    if (x !== undefined && y !== undefined && stage.trials.length > 0) {
      const box = nextRanges(next, x, y);
      charts.push({
        spec: sweepScatterSpec(stage.trials, x, y, sweep.metric, { title: `Stage ${i + 1}: ${stage.name}`, goal, tooltip: true, ...(box === undefined ? {} : { nextRanges: box }) }),
        name: `stage-${i + 1}-scatter`,
        caption: `Hover a trial for its values.${box === undefined ? "" : ` Dashed box: the ranges stage ${i + 2} (${next?.name ?? ""}) searched.`}`,
      });
    }
    if (stage.trials.some((t) => (t.curve ?? []).length > 0)) {
      const rungs = stage.earlyTerminate !== undefined && "rungs" in stage.earlyTerminate ? stage.earlyTerminate.rungs : [];
      charts.push({ spec: sweepCurvesSpec(stage.trials, sweep.metric, { title: `Stage ${i + 1}: ${sweep.metric} per epoch`, rungs }), name: `stage-${i + 1}-curves`, caption: "Grey curves ending in a cross: pruned at that epoch. Dotted: rungs." });
    }
    if (sweep.parameters.length > 0 && stage.trials.length > 0) {
      charts.push({ spec: parallelCoordinatesSpec(stage.trials, sweep.parameters, sweep.metric, `Stage ${i + 1}: parallel coordinates`), name: `stage-${i + 1}-parallel` });
    }
    page.charts(charts);
    page.table(sweepTableData(stage.trials, sweep.parameters, Math.min(10, stage.trials.length), `Stage ${i + 1}: the best trials`, { goal, metricLabel: sweep.metric }));
    const pruning = pruningTableData(stage.trials, `Stage ${i + 1}: early termination, per epoch judged`);
    if (pruning !== undefined) page.table(pruning);
    page.foldedTable(`All ${stage.trials.length} trials of stage ${i + 1}`, trialsTableData(stage.trials, sweep.parameters, sweep.metric));
  }
  if (sweep.final !== undefined && sweep.final.length > 0) {
    page.section("Final retrainings");
    page.charts((["loss", "accuracy"] as const).map((metric) => ({ spec: overlayChartSpec(sweep.final ?? [], metric), name: `final-overlay-${metric}` })));
    page.table(accuracyTableData(sweep.final.map(accuracyRow), "Final training of the best trials"));
    for (const [i, run] of sweep.final.entries()) {
      page.heading(run.name);
      historySection(page, run, `final-${i + 1}`);
    }
  }
}
