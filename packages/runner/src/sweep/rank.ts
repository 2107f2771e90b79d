import type { TrialRecord } from "./trials-log.js";

/** Best first; trials without a finite metric last, in index order. Never depends on finishing order. */
export function rank(records: readonly TrialRecord[], goal: "maximize" | "minimize"): TrialRecord[] {
  const sign = goal === "maximize" ? -1 : 1;
  return [...records].sort((a, b) => {
    const fa = Number.isFinite(a.metric) && a.status === "completed";
    const fb = Number.isFinite(b.metric) && b.status === "completed";
    if (fa !== fb) return fa ? -1 : 1;
    if (!fa) return a.index - b.index;
    return sign * (a.metric - b.metric) || a.index - b.index;
  });
}
