/** What early termination did in a sweep stage: its verdicts per epoch, and the epochs it saved. */
import type { Decision } from "../sweep/core/history.js";
import { formatFixed } from "./number-format.js";
import { markdownOf, tableData, type TableData } from "./table-data.js";
import type { SweepTrial } from "./types.js";

export type JudgedTrial = SweepTrial & { decisions?: readonly Decision[] };

const RULE_NAMES: Record<Decision["rule"], string> = { successiveHalving: "successive halving", asha: "ASHA", median: "median stopping" };

/**
 * One row per epoch at which trials were judged: how many, how many went on and were stopped, and what
 * they were compared with (successive halving: one cutoff per rung; ASHA and median stopping: the range
 * of cutoffs or medians, which change as trials arrive).
 */
export function pruningTableData(trials: readonly JudgedTrial[], caption?: string): TableData | undefined {
  const byEpoch = new Map<number, Decision[]>();
  for (const d of trials.flatMap((t) => t.decisions ?? [])) byEpoch.set(d.epoch, [...(byEpoch.get(d.epoch) ?? []), d]);
  const rows = [...byEpoch.entries()]
    .sort(([a], [b]) => a - b)
    .map(([epoch, ds]) => {
      const thresholds = ds.map((d) => d.threshold).filter(Number.isFinite);
      const low = Math.min(...thresholds);
      const high = Math.max(...thresholds);
      const compared = thresholds.length === 0 ? "—" : low === high ? formatFixed(low, 4) : `${formatFixed(low, 4)} – ${formatFixed(high, 4)}`;
      const stopped = ds.filter((d) => d.verdict === "stop").length;
      return [String(epoch), RULE_NAMES[ds[0].rule], String(ds.length), String(ds.length - stopped), String(stopped), compared];
    });
  if (rows.length === 0) return undefined;
  return tableData(["Epoch", "Rule", "Judged", "Went on", "Pruned", "Cutoff / median"], rows, ["right", "left", "right", "right", "right", "right"], caption);
}

/** The table of pruningTableData as Markdown; empty when no trial was judged. */
export function pruningTable(trials: readonly JudgedTrial[], caption?: string): string {
  const table = pruningTableData(trials, caption);
  return table === undefined ? "" : markdownOf(table);
}

/** Epochs the stage's trials trained, against what they would have without early termination. */
export function trialEpochs(trials: readonly SweepTrial[], epochs: number): { spent: number; full: number } {
  return { spent: trials.reduce((sum, t) => sum + (t.epochs ?? epochs), 0), full: trials.length * epochs };
}

/** "1 completed, 8 pruned (6 at epoch 1, 2 at epoch 3), 1 diverged; 13 of 36 trial-epochs (36 %)" */
export function stageOutcome(trials: readonly SweepTrial[], epochs: number): string {
  const count = (status: string): number => trials.filter((t) => t.status === status).length;
  const parts = [`${count("ok")} completed`];
  const pruned = trials.filter((t) => t.status === "pruned");
  if (pruned.length > 0) {
    const at = new Map<number, number>();
    for (const t of pruned) at.set(t.epochs ?? 0, (at.get(t.epochs ?? 0) ?? 0) + 1);
    parts.push(`${pruned.length} pruned (${[...at.entries()].sort(([a], [b]) => a - b).map(([e, n]) => `${n} at epoch ${e}`).join(", ")})`);
  }
  for (const status of ["diverged", "failed"]) if (count(status) > 0) parts.push(`${count(status)} ${status}`);
  const { spent, full } = trialEpochs(trials, epochs);
  const share = full === 0 ? "" : ` (${Math.round((100 * spent) / full)} %)`;
  return `${parts.join(", ")}; ${spent} of ${full} trial-epochs${share}`;
}
