import { isSuccessful } from "../report/types.js";
import type { RunSummary, TrainedRun } from "./summary.js";

function percent(x: number | undefined): string {
  return x === undefined ? "n/a" : `${(100 * x).toFixed(2)}%`;
}

function runLine(run: TrainedRun): string {
  if (run.status !== "completed") return `${run.name}: ${run.message ?? run.status}`;
  const parts = [`train accuracy ${percent(run.final.train?.accuracy)}`];
  if (run.final.validation) parts.push(`validation accuracy ${percent(run.final.validation.accuracy)}`);
  if (run.final.test) parts.push(`test accuracy ${percent(run.final.test.accuracy)}`);
  const stopped = run.stopped === undefined ? "" : ` (stopped early at epoch ${run.stopped.epoch}; epoch ${run.stopped.bestEpoch}'s parameters)`;
  return `${run.name}: ${parts.join(", ")}${stopped}`;
}

/** The line `gradspec run` ends with. */
export function finalLine(summary: RunSummary): string {
  const lines: string[] = [];
  if (summary.train) lines.push(runLine(summary.train));
  if (summary.compare) lines.push(...summary.compare.variants.map(runLine));
  if (summary.gradcheck) {
    for (const c of summary.gradcheck.cases) {
      const worst = c.parameters.reduce((a, b) => (b.max > a.max ? b : a));
      lines.push(`gradcheck λ = ${c.lambda}: worst max relative error ${worst.max.toExponential(3)} (${worst.name})`);
    }
  }
  if (summary.sweep) {
    const last = summary.sweep.stages[summary.sweep.stages.length - 1];
    const best = last?.trials[0];
    if (best !== undefined && isSuccessful(best)) lines.push(`sweep best ${summary.sweep.metric} ${best.metric.toFixed(4)} at ${Object.entries(best.params).map(([k, v]) => `${k}=${v.toPrecision(6)}`).join(", ")}`);
    if (summary.sweep.final) lines.push(...summary.sweep.final.map(runLine));
  }
  lines.push(`status: ${summary.status}${summary.message ? ` (${summary.message})` : ""}, ${summary.seconds.toFixed(1)} s`);
  return lines.join("\n");
}
