/**
 * The sweep benchmark lives in bench/sweep.ts (another module, maybe not written yet). It is loaded
 * by path at run time so this file compiles and runs whether or not it exists.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface SweepRow {
  workers: number;
  trialsPerMinute: number;
  seconds: number;
}

export type SweepOutcome = { available: true; rows: SweepRow[] } | { available: false; reason: string };

const SWEEP_URL = new URL("./sweep.ts", import.meta.url);

function isSweepRow(value: unknown): value is SweepRow {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.workers === "number" && typeof r.trialsPerMinute === "number" && typeof r.seconds === "number";
}

export async function runSweepBench(): Promise<SweepOutcome> {
  if (!existsSync(fileURLToPath(SWEEP_URL))) return { available: false, reason: "sweep benchmark not available yet (bench/sweep.ts is missing)" };
  const specifier: string = SWEEP_URL.href;
  const mod: unknown = await import(specifier);
  const fn = typeof mod === "object" && mod !== null ? (mod as Record<string, unknown>).benchSweep : undefined;
  if (typeof fn !== "function") return { available: false, reason: "sweep benchmark not available yet (bench/sweep.ts exports no benchSweep)" };
  const rows: unknown = await (fn as () => Promise<unknown>)();
  if (!Array.isArray(rows) || !rows.every(isSweepRow)) {
    return { available: false, reason: "bench/sweep.ts: benchSweep() did not return {workers, trialsPerMinute, seconds}[]" };
  }
  return { available: true, rows };
}
