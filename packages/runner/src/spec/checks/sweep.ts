import { DEFAULTS } from "../defaults.js";
import type { PathIssue } from "../issues.js";
import type { SpecPath } from "../json.js";
import { alternatives, isNumeric, schemaTypes } from "../schema-walk.js";
import { list, num, record, str } from "./loose.js";
import { checkKeyPaths, type CheckedKey } from "./key-paths.js";
import { probe, type ProbeEntry, type SpecChecker } from "./derived.js";
import { checkEarlyTerminate } from "./early-terminate.js";
import { checkIgnoredOptions, type KeyValues } from "./ignored-options.js";

interface SweepContext {
  spec: Record<string, unknown>;
  method: string;
  deep: boolean;
  check: SpecChecker;
  issues: PathIssue[];
}

export function checkSweep(spec: Record<string, unknown>, deep: boolean, check: SpecChecker): PathIssue[] {
  const sweep = record(spec["sweep"]);
  if (sweep === undefined) return [];
  const ctx: SweepContext = { spec, method: str(sweep["method"]) ?? DEFAULTS.sweep.method, deep, check, issues: [] };
  const parameters = record(sweep["parameters"]) ?? {};
  checkDistributions(ctx, parameters, ["sweep", "parameters"]);
  ctx.issues.push(...checkIgnoredOptions(spec, sweptValues(parameters), ["sweep", "parameters"], "sweep"));
  const stages = list(sweep["stages"]);
  const trials = num(sweep["trials"]);
  if (stages === undefined && ctx.method === "random" && trials === undefined) {
    ctx.issues.push({ path: ["sweep", "trials"], message: "missing (required for random sweeps, unless every stage gives trials)", at: { path: ["sweep"], atKey: true } });
  }
  const names = new Set<string>();
  let previousTrials: number | undefined = trials;
  (stages ?? []).forEach((item, i) => {
    const stage = record(item);
    if (stage === undefined) return;
    const path = ["sweep", "stages", i];
    const name = str(stage["name"]);
    if (name !== undefined && names.has(name)) ctx.issues.push({ path: [...path, "name"], message: `duplicate stage name ${JSON.stringify(name)}` });
    if (name !== undefined) names.add(name);
    const stageTrials = num(stage["trials"]) ?? trials;
    if (ctx.method === "random" && stageTrials === undefined) {
      ctx.issues.push({ path: [...path, "trials"], message: "missing (random sweeps need trials here or in sweep.trials)", at: { path, atKey: false } });
    }
    const refine = record(stage["refine"]);
    if (refine !== undefined && i === 0) {
      ctx.issues.push({ path: [...path, "refine"], message: "not allowed on the first stage (there is no previous stage to refine from)", at: { path: [...path, "refine"], atKey: true } });
    }
    const top = num(refine?.["top"]) ?? DEFAULTS.sweep.refine.top;
    if (refine !== undefined && i > 0 && previousTrials !== undefined && top > previousTrials) {
      ctx.issues.push({ path: [...path, "refine", "top"], message: `must be at most the previous stage's trials (${previousTrials}), got ${top}`, at: { path: refine["top"] === undefined ? [...path, "refine"] : [...path, "refine", "top"], atKey: refine["top"] === undefined } });
    }
    const own = record(stage["parameters"]);
    if (own !== undefined) {
      for (const key of Object.keys(own)) {
        if (!(key in parameters)) ctx.issues.push({ path: [...path, "parameters", key], message: "not in sweep.parameters (a stage can only change the ranges of swept parameters)", at: { path: [...path, "parameters", key], atKey: true } });
      }
      checkDistributions(ctx, Object.fromEntries(Object.entries(own).filter(([key]) => key in parameters)), [...path, "parameters"]);
    }
    previousTrials = stageTrials;
  });
  checkMetric(ctx, str(sweep["metric"]) ?? DEFAULTS.sweep.metric);
  checkFinal(ctx, record(sweep["final"]), previousTrials);
  ctx.issues.push(...checkEarlyTerminate(sweep, stageViews(spec, sweep)));
  return ctx.issues;
}

/** What each swept key takes: its list for `values`, else a range. */
function sweptValues(parameters: Record<string, unknown>): KeyValues {
  return new Map(Object.entries(parameters).map(([key, distribution]) => {
    const values = list(record(distribution)?.["values"]);
    return [key, values ?? "varies"] as const;
  }));
}

function stageViews(spec: Record<string, unknown>, sweep: Record<string, unknown>): Parameters<typeof checkEarlyTerminate>[1] {
  const epochs = num(record(spec["training"])?.["epochs"]) ?? DEFAULTS.training.epochs;
  const given = list(sweep["stages"]) ?? [{}];
  return given.map((item, i) => {
    const stage = record(item) ?? {};
    const refine = record(stage["refine"]);
    return {
      path: ["sweep", "stages", i],
      name: str(stage["name"]) ?? `stage${i + 1}`,
      trials: num(stage["trials"]) ?? num(sweep["trials"]),
      epochs: num(stage["epochs"]) ?? epochs,
      refineTop: refine === undefined ? undefined : num(refine["top"]) ?? DEFAULTS.sweep.refine.top,
    };
  });
}

function numericKind(schema: CheckedKey["schema"]): "number" | "integer" | undefined {
  const numeric = alternatives(schema).filter(isNumeric);
  if (numeric.length === 0) return undefined;
  return numeric.some((alt) => schemaTypes(alt).includes("number")) ? "number" : "integer";
}

/** Each distribution fits its target (type, bounds in order, values valid there). */
function checkDistributions(ctx: SweepContext, parameters: Record<string, unknown>, recordPath: SpecPath): void {
  const keys = checkKeyPaths(Object.keys(parameters), recordPath, ctx.spec, ctx.issues);
  const entries: { key: CheckedKey; values: ProbeEntry[] }[] = [];
  for (const key of keys) {
    const distribution = record(parameters[key.key]);
    const kind = distribution === undefined ? undefined : Object.keys(distribution)[0];
    if (distribution === undefined || kind === undefined || Object.keys(distribution).length !== 1) continue;
    const path = [...recordPath, key.key, kind];
    const target = key.target.join(".");
    const numeric = numericKind(key.schema);
    if (kind === "values") {
      const values = list(distribution["values"]) ?? [];
      entries.push({ key, values: values.map((value, i) => ({ key, value, writtenAt: [...path, i] })) });
      continue;
    }
    if (ctx.method === "grid") {
      ctx.issues.push({ path, message: "grid sweeps take values (every combination is tried)", at: { path, atKey: true } });
      continue;
    }
    if (numeric === undefined) {
      ctx.issues.push({ path, message: `${target} is not a number: use values`, at: { path, atKey: true } });
      continue;
    }
    if (numeric === "integer" && kind !== "intUniform") {
      ctx.issues.push({ path, message: `${target} takes integers: use intUniform or values`, at: { path, atKey: true } });
      continue;
    }
    const bounds = list(distribution[kind]) ?? [];
    const [low, high] = [num(bounds[0]), num(bounds[1])];
    if (low === undefined || high === undefined) continue;
    const ordered = kind === "intUniform" ? low <= high : low < high;
    if (!ordered) {
      ctx.issues.push({ path: [...path, 1], message: `must be ${kind === "intUniform" ? "≥" : ">"} the low bound ${low}, got ${high}` });
      continue;
    }
    entries.push({ key, values: [low, high].map((value, i) => ({ key, value, writtenAt: [...path, i] })) });
  }
  if (!ctx.deep) return;
  for (const entry of entries) {
    for (const value of entry.values) ctx.issues.push(...probe(ctx.spec, [value], [...recordPath, entry.key.key], ctx.check));
  }
}

function checkMetric(ctx: SweepContext, metric: string): void {
  const data = record(ctx.spec["data"]);
  const split = metric.split(".")[0];
  if (data === undefined || (split !== "validation" && split !== "test")) return;
  const limit = num(record(data["limit"])?.[split]);
  const synthetic = record(data["synthetic"]);
  let size: number | undefined;
  if (data["source"] === "synthetic") size = num(synthetic?.[split]) ?? DEFAULTS.data.synthetic[split];
  else if (split === "validation") size = Array.isArray(data["validation"]) ? data["validation"].length : num(data["validation"]) ?? DEFAULTS.data.validation;
  else if (data["source"] === "cifar10") size = (list(data["test"]) ?? DEFAULTS.data.test).length;
  if (size === 0 || limit === 0) {
    const at = { path: ["sweep", "metric"], atKey: false };
    const where = limit === 0 ? `data.limit.${split}` : data["source"] === "synthetic" ? `data.synthetic.${split}` : `data.${split}`;
    ctx.issues.push({ path: ["sweep", "metric"], message: `${metric} needs ${split} data, but ${where} is 0`, at });
  }
}

function checkFinal(ctx: SweepContext, final: Record<string, unknown> | undefined, lastTrials: number | undefined): void {
  if (final === undefined) return;
  const top = num(final["top"]) ?? DEFAULTS.sweep.finalTop;
  if (lastTrials !== undefined && top > lastTrials) {
    ctx.issues.push({ path: ["sweep", "final", "top"], message: `must be at most the last stage's trials (${lastTrials}), got ${top}` });
  }
  const set = record(final["set"]);
  if (set === undefined) return;
  const setPath = ["sweep", "final", "set"];
  const before = ctx.issues.length;
  const keys = checkKeyPaths(Object.keys(set), setPath, ctx.spec, ctx.issues);
  if (!ctx.deep || ctx.issues.length > before) return;
  ctx.issues.push(...probe(ctx.spec, keys.map((key) => ({ key, value: set[key.key], writtenAt: [...setPath, key.key] })), setPath, ctx.check));
}
