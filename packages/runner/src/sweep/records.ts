import type { TrialJob } from "./messages.js";
import type { TrialRecord } from "./trials-log.js";

type TrialPlace = Pick<TrialJob, "id" | "stage" | "index" | "params">;

export function trialBase(job: TrialPlace): Pick<TrialRecord, "id" | "stage" | "index" | "params"> {
  return { id: job.id, stage: job.stage, index: job.index, params: job.params };
}

export function failedTrial(job: TrialPlace, message: string, seconds: number): TrialRecord {
  return { ...trialBase(job), status: "failed", metric: Number.NaN, message, seconds };
}

/** The first line of an error's message: records and logs never carry stack traces. */
export function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] || (error instanceof Error ? error.name : "error");
}
