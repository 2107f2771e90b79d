import type { PathIssue } from "../issues.js";
import { checkCompare } from "./compare.js";
import { checkData } from "./data.js";
import type { SpecChecker } from "./derived.js";
import { checkModel } from "./model.js";
import { checkSections } from "./sections.js";
import { checkSweep } from "./sweep.js";
import { checkGradcheck, checkTraining } from "./training.js";

export type { SpecChecker } from "./derived.js";
export { deriveTrainObject } from "./derived.js";

/**
 * What the schema cannot say: sections by experiment, source-specific data keys, layers vs hidden,
 * key paths in compare/sweep. `deep` (only when everything else is valid) also validates the
 * training runs that variants, sweep bounds and final overrides would produce.
 */
export function crossChecks(spec: Record<string, unknown>, deep: boolean, check: SpecChecker): PathIssue[] {
  const shallow = [...checkSections(spec), ...checkData(spec), ...checkModel(spec), ...checkTraining(spec), ...checkGradcheck(spec)];
  const runDeep = deep && shallow.length === 0;
  return [...shallow, ...checkCompare(spec, runDeep, check), ...checkSweep(spec, runDeep, check)];
}
