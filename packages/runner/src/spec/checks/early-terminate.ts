import { DEFAULTS } from "../defaults.js";
import type { EarlyTerminateInput } from "../input-types.js";
import type { PathIssue } from "../issues.js";
import type { SpecPath } from "../json.js";
import { resolveEarlyTerminate, stageEarlyTerminate } from "../resolve.js";
import type { EarlyTerminateType } from "../types.js";
import { keptAtRung } from "../../sweep/core/pruners.js";
import { list, num, record, str } from "./loose.js";

/** The options each rule reads; any other is refused rather than silently ignored. */
const OPTIONS: Record<EarlyTerminateType, readonly string[]> = {
  successiveHalving: ["minEpochs", "reductionFactor", "rungs"],
  asha: ["minEpochs", "reductionFactor", "rungs"],
  median: ["minEpochs", "minTrials"],
};

interface StageView {
  path: SpecPath;
  name: string;
  trials: number | undefined;
  epochs: number;
  refineTop: number | undefined;
}

/**
 * Each stage's early termination (the sweep's, with the stage's keys over it): a known rule with only
 * its own options, rungs in order, a metric measured during training, and — for successive halving,
 * whose survivors are known in advance — enough trials left for the next stage's refine.top and final.top.
 */
export function checkEarlyTerminate(sweep: Record<string, unknown>, stages: readonly StageView[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const base = record(sweep["earlyTerminate"]);
  const basePath: SpecPath = ["sweep", "earlyTerminate"];
  if (base !== undefined) checkRungs(base, basePath, issues);
  const metric = str(sweep["metric"]) ?? DEFAULTS.sweep.metric;
  const finalTop = record(sweep["final"]) === undefined ? undefined : num(record(sweep["final"])?.["top"]) ?? DEFAULTS.sweep.finalTop;
  const reported = new Set<string>();
  const once = (issue: PathIssue): void => {
    const key = `${issue.path.join(".")}:${issue.message}`;
    if (!reported.has(key)) issues.push(issue);
    reported.add(key);
  };
  stages.forEach((stage, i) => {
    const own = record(record(list(sweep["stages"])?.[i])?.["earlyTerminate"]);
    const ownPath: SpecPath = [...stage.path, "earlyTerminate"];
    if (own !== undefined) checkRungs(own, ownPath, issues);
    if (base === undefined && own === undefined) return;
    const merged: Record<string, unknown> = stageEarlyTerminate(base, own);
    const where = (key: string): SpecPath => (own !== undefined && key in own ? [...ownPath, key] : [...basePath, key]);
    const type = str(merged["type"]);
    if (type === undefined) {
      const at = own !== undefined && base === undefined ? ownPath : basePath;
      once({ path: [...at, "type"], message: "missing: successiveHalving, asha, median or none", at: { path: at, atKey: true } });
      return;
    }
    if (type === "none" || !(type in OPTIONS)) return;
    const rule = type as EarlyTerminateType;
    for (const key of Object.keys(merged)) {
      if (key === "type" || OPTIONS[rule].includes(key)) continue;
      once({ path: where(key), message: `not an option of ${rule} (it takes ${OPTIONS[rule].join(", ")})`, at: { path: where(key), atKey: true } });
    }
    if ("rungs" in merged && "minEpochs" in merged) {
      once({ path: where("rungs"), message: `give rungs or minEpochs, not both (minEpochs is at ${where("minEpochs").join(".")})`, at: { path: where("rungs"), atKey: true } });
    }
    if (metric.startsWith("test.")) {
      once({ path: ["sweep", "metric"], message: `${metric} is measured only after the last epoch, so ${rule} cannot compare trials while they train; rank by a validation metric` });
    }
    if (rule === "successiveHalving") checkSurvivors(stage, stages[i + 1], finalTop, merged, where, once);
  });
  return issues;
}

function checkRungs(section: Record<string, unknown>, path: SpecPath, issues: PathIssue[]): void {
  const rungs = list(section["rungs"])?.map(num) ?? [];
  for (let k = 1; k < rungs.length; k++) {
    const [before, rung] = [rungs[k - 1], rungs[k]];
    if (before !== undefined && rung !== undefined && rung <= before) issues.push({ path: [...path, "rungs", k], message: `must be after the rung before it (${before}), got ${rung}` });
  }
}

/** Successive halving keeps ⌊n/η⌋ (at least 1) at each rung: the trials the next step needs must survive. */
function checkSurvivors(
  stage: StageView,
  next: StageView | undefined,
  finalTop: number | undefined,
  merged: Record<string, unknown>,
  where: (key: string) => SpecPath,
  once: (issue: PathIssue) => void,
): void {
  if (stage.trials === undefined) return;
  const input: EarlyTerminateInput = { type: "successiveHalving" };
  const factor = num(merged["reductionFactor"]);
  const minEpochs = num(merged["minEpochs"]);
  const rungs = list(merged["rungs"])?.map(num);
  if (factor !== undefined) input.reductionFactor = factor;
  if (minEpochs !== undefined) input.minEpochs = minEpochs;
  if (rungs !== undefined && rungs.every((r): r is number => r !== undefined)) input.rungs = rungs;
  const resolved = resolveEarlyTerminate(input, stage.epochs);
  if (resolved === undefined || resolved.type === "median") return;
  const left = survivors(stage.trials, resolved.rungs.length, resolved.reductionFactor);
  const needed = next === undefined ? finalTop : next.refineTop;
  if (needed === undefined || needed <= left) return;
  const what = next === undefined ? `sweep.final.top is ${needed}` : `${next.name}'s refine.top is ${needed}`;
  once({
    path: where("type"),
    message: `successive halving leaves ${left} of stage ${stage.name}'s ${stage.trials} trials to finish (rungs ${resolved.rungs.join(", ")}, reductionFactor ${resolved.reductionFactor}), but ${what}; use fewer rungs, a smaller reductionFactor or more trials`,
  });
}

/** Trials left after `rungs` rounds of successive halving, when none diverges. */
function survivors(trials: number, rungs: number, reductionFactor: number): number {
  let n = trials;
  for (let k = 0; k < rungs; k++) n = keptAtRung(n, reductionFactor);
  return n;
}
