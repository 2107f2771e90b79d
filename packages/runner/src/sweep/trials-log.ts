import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { FinalMetrics } from "../experiments/train-once.js";
import type { EpochMetrics } from "../report/types.js";
import type { RunFolder } from "../run/run-folder.js";
import type { Decision } from "./core/history.js";
import { STATES_DIR } from "./executors/folder-states.js";
import type { TrialPlace } from "./segment.js";

/** A finished trial: one line of trials.jsonl, the sweep's single record. */
export interface TrialRecord extends TrialPlace {
  status: "completed" | "diverged" | "failed" | "pruned";
  /** Completed: the metric that ranks it; pruned: its value when it was stopped; otherwise NaN. */
  metric: number;
  /** Epochs trained. */
  epochs: number;
  /** The metric after each epoch (NaN where it is not measured during training, e.g. test). */
  curve: number[];
  /** A pruner's verdicts about it, in order (absent without early termination). */
  decisions?: Decision[];
  message?: string;
  diverged?: { epoch: number; batch: number };
  /** Seconds of training over all its segments. */
  seconds: number;
  /** Final retrainings: the whole history and every split's final metrics. */
  history?: EpochMetrics[];
  final?: FinalMetrics;
}

/** A trial waiting between segments, kept in states/<id>.json (its training state beside it, or in Redis). */
export interface PausedTrial extends TrialPlace {
  epochs: number;
  curve: number[];
  decisions: Decision[];
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
      const parsed: unknown = JSON.parse(line);
      if (!hasPlace(parsed) || !STATUSES.has(String(parsed["status"]))) continue; // torn or foreign line
      record = reviveNumbers(parsed as unknown as TrialRecord);
    } catch {
      continue;
    }
    if (record.status === "failed") done.delete(record.id);
    else done.set(record.id, record);
  }
  return done;
}

export function appendTrial(folder: RunFolder, record: TrialRecord): void {
  folder.appendLine(TRIALS_FILE, JSON.stringify(record, nonFiniteAsText));
}

const pausedName = (id: string): string => join(STATES_DIR, `${id}.json`);

/** Paused trials by id; one whose file is unreadable is left out (it is trained again from its last record). */
export function readPaused(folder: RunFolder): Map<string, PausedTrial> {
  const paused = new Map<string, PausedTrial>();
  let names: string[];
  try {
    names = readdirSync(folder.file(STATES_DIR));
  } catch {
    return paused;
  }
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    try {
      const parsed: unknown = JSON.parse(folder.read(join(STATES_DIR, name)));
      if (!hasPlace(parsed) || !Number.isInteger(parsed["epochs"])) continue;
      const trial = reviveNumbers(parsed as unknown as PausedTrial);
      if (!Array.isArray(trial.decisions)) trial.decisions = [];
      paused.set(trial.id, trial);
    } catch {
      continue;
    }
  }
  return paused;
}

export function writePaused(folder: RunFolder, trial: PausedTrial): void {
  folder.write(pausedName(trial.id), JSON.stringify(trial, nonFiniteAsText));
}

export function removePaused(folder: RunFolder, id: string): void {
  rmSync(folder.file(pausedName(id)), { force: true });
}

const STATUSES: ReadonlySet<string> = new Set(["completed", "diverged", "failed", "pruned"]);

/** The fields every record has: `${stage}-${index}` as its id, and its values. */
function hasPlace(value: unknown): value is Record<string, unknown> & TrialPlace {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  return Number.isInteger(r["stage"]) && Number.isInteger(r["index"]) && r["id"] === `${String(r["stage"])}-${String(r["index"])}` && typeof r["params"] === "object" && r["params"] !== null;
}

/** JSON has no NaN or Infinity: they are written as strings, and read back as numbers. */
function nonFiniteAsText(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

function number(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

function reviveNumbers<T extends { curve?: unknown; decisions?: unknown; metric?: unknown }>(record: T): T {
  if (!Array.isArray(record.curve)) record.curve = [];
  record.curve = (record.curve as unknown[]).map(number);
  if ("metric" in record) record.metric = number(record.metric);
  if (Array.isArray(record.decisions)) {
    for (const d of record.decisions as { value: unknown; threshold: unknown }[]) {
      d.value = number(d.value);
      d.threshold = number(d.threshold);
    }
  }
  return record;
}
