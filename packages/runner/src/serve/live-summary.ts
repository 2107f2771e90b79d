/**
 * What a run folder shows while its run goes on (no summary.json yet): a sweep's finished trials from
 * trials.jsonl, grouped into the stages of its resolved spec. Reads only.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { finalRun, stageSummary } from "../experiments/sweep.js";
import { lockHolder } from "../run/identity.js";
import { parseResolvedSpec, readRunFolder, SUMMARY } from "../run/read-run.js";
import { RESOLVED_SPEC } from "../run/render.js";
import { RunFolder } from "../run/run-folder.js";
import type { PageSummary } from "../report/html/run-page.js";
import type { RunSummary } from "../run/summary.js";
import type { SweepSpec } from "../spec/types.js";
import type { StagePlan } from "../sweep/core/next-steps.js";
import { readTrials, TRIALS_FILE } from "../sweep/trials-log.js";

export interface ShownRun {
  summary: PageSummary;
  specYaml?: string;
  /** No summary.json yet: the page follows the folder. */
  live: boolean;
}

/** The files whose change means the page is out of date. */
const WATCHED = [SUMMARY, TRIALS_FILE, "variants.partial.json"];

/** Sizes and modification times of the watched files: changes when the run writes a result. */
export function changeToken(path: string): string {
  return WATCHED.map((name) => {
    const file = join(path, name);
    if (!existsSync(file)) return "-";
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  }).join("|");
}

export function shownRun(path: string): ShownRun {
  if (existsSync(join(path, SUMMARY))) {
    const run = readRunFolder(path);
    return { summary: run.summary, ...(run.specYaml === undefined ? {} : { specYaml: run.specYaml }), live: false };
  }
  const specFile = join(path, RESOLVED_SPEC);
  const specYaml = existsSync(specFile) ? readFileSync(specFile, "utf8") : undefined;
  const spec = parseResolvedSpec(specYaml);
  const summary: PageSummary = {
    name: typeof spec?.["name"] === "string" ? spec["name"] : path,
    experiment: spec?.["experiment"] === "sweep" || spec?.["experiment"] === "compare" || spec?.["experiment"] === "gradcheck" ? spec["experiment"] : "train",
    status: lockHolder(path) === undefined ? "interrupted" : "running",
    started: existsSync(specFile) ? statSync(specFile).mtime.toISOString() : "",
    seconds: Number.NaN,
  };
  if (summary.experiment === "sweep" && spec !== undefined) summary.sweep = sweepSoFar(spec as unknown as SweepSpec, path);
  return { summary, ...(specYaml === undefined ? {} : { specYaml }), live: true };
}

function sweepSoFar(spec: SweepSpec, path: string): NonNullable<RunSummary["sweep"]> {
  const sweep = spec.sweep;
  const records = readTrials(new RunFolder(path));
  const stages = sweep.stages.map((stage, i) => {
    const number = i + 1;
    const indices = [...records.values()].filter((r) => r.stage === number).map((r) => r.index);
    const planned = stage.trials ?? Math.max(0, ...indices.map((x) => x + 1));
    const plan: StagePlan = { number, stage, ranges: stage.parameters, trials: new Array<Record<string, unknown>>(planned).fill({}) };
    return stageSummary(plan, records, sweep.goal);
  });
  const finals = [...records.values()].filter((r) => r.stage === sweep.stages.length + 1).sort((a, b) => a.index - b.index);
  return {
    metric: sweep.metric, goal: sweep.goal, parameters: Object.keys(sweep.parameters), stages,
    ...(finals.length === 0 ? {} : { final: finals.map(finalRun) }),
  };
}
