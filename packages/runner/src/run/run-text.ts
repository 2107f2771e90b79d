/** How a run's status and a stage's early termination read in its reports. */
import type { EarlyTerminate } from "../spec/types.js";

export function pruningText(rule: EarlyTerminate): string {
  if (rule.type === "median") return `median stopping from epoch ${rule.minEpochs} (at least ${rule.minTrials} other trials)`;
  return `${rule.type === "asha" ? "ASHA" : "successive halving"} at epochs ${rule.rungs.join(", ")} (η = ${rule.reductionFactor})`;
}

export function statusText(summary: { status: string; message?: string }): string {
  return summary.message === undefined ? summary.status : `${summary.status} (${summary.message})`;
}
