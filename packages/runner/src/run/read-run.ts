/** Reads what a run folder holds, for the reports that are drawn after the run (gradspec report, gradspec serve). */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { RESOLVED_SPEC } from "./render.js";
import type { RunSummary } from "./summary.js";
import { UsageError } from "./usage-error.js";

export const SUMMARY = "summary.json";

/** summary.json writes NaN and ±Infinity as strings (JSON has none); they are numbers again here. */
function nonFiniteNumbers(_key: string, value: unknown): unknown {
  return value === "NaN" ? Number.NaN : value === "Infinity" ? Infinity : value === "-Infinity" ? -Infinity : value;
}

export interface RunFiles {
  path: string;
  summary: RunSummary;
  specYaml?: string;
}

/** A finished run's folder; anything else is one line naming the folder and what to pass instead. */
export function readRunFolder(dir: string): RunFiles {
  const path = resolve(dir);
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new UsageError(`${path}: no such folder; pass a run folder written by gradspec run`);
  const file = join(path, SUMMARY);
  if (!existsSync(file)) throw new UsageError(`${path}: no ${SUMMARY} here (is the run still going, or not a run folder?); pass a run folder written by gradspec run`);
  let summary: RunSummary;
  try {
    summary = JSON.parse(readText(file), nonFiniteNumbers) as RunSummary;
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message}); run the spec again to write it`);
  }
  if (typeof summary !== "object" || summary === null || typeof summary.name !== "string" || typeof summary.experiment !== "string") {
    throw new UsageError(`${file}: not a gradspec summary (no name or experiment); pass a run folder written by gradspec run`);
  }
  const spec = join(path, RESOLVED_SPEC);
  return { path, summary, ...(existsSync(spec) ? { specYaml: readText(spec) } : {}) };
}

/** The resolved spec as plain data (undefined when it is missing or not YAML). */
export function parseResolvedSpec(specYaml: string | undefined): Record<string, unknown> | undefined {
  if (specYaml === undefined) return undefined;
  try {
    const value: unknown = parse(specYaml);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function readText(file: string): string {
  return readFileSync(file, "utf8");
}
