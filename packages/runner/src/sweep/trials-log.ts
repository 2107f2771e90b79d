import type { RunFolder } from "../run/run-folder.js";

export interface TrialRecord {
  id: string;
  stage: number;
  index: number;
  params: Record<string, unknown>;
  status: "completed" | "diverged" | "failed";
  metric: number;
  message?: string;
  seconds: number;
}

export const TRIALS_FILE = "trials.jsonl";

/**
 * The finished trials of an earlier, possibly interrupted run of the same sweep. A torn last line (the
 * process died while writing it) is ignored; failed trials are dropped so that they run again.
 */
export function readTrials(folder: RunFolder): Map<string, TrialRecord> {
  const done = new Map<string, TrialRecord>();
  if (!folder.has(TRIALS_FILE)) return done;
  for (const line of folder.read(TRIALS_FILE).split("\n")) {
    if (line.trim() === "") continue;
    let record: TrialRecord;
    try {
      record = JSON.parse(line) as TrialRecord;
    } catch {
      continue;
    }
    if (typeof record.metric === "string") record.metric = Number(record.metric);
    if (record.status === "failed") done.delete(record.id);
    else done.set(record.id, record);
  }
  return done;
}

export function appendTrial(folder: RunFolder, record: TrialRecord): void {
  const metric = Number.isFinite(record.metric) ? record.metric : String(record.metric);
  folder.appendLine(TRIALS_FILE, JSON.stringify({ ...record, metric }));
}
