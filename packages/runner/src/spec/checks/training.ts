import { DEFAULTS } from "../defaults.js";
import type { PathIssue } from "../issues.js";
import { num, record } from "./loose.js";

export function checkTraining(spec: Record<string, unknown>): PathIssue[] {
  return [...checkCyclic(spec), ...checkEarlyStopping(spec)];
}

/** Early stopping watches the validation split, so there must be one; sweeps stop trials by sweep.earlyTerminate. */
function checkEarlyStopping(spec: Record<string, unknown>): PathIssue[] {
  const training = record(spec["training"]);
  if (training === undefined || !("earlyStopping" in training)) return [];
  const path = ["training", "earlyStopping"];
  const at = { path, atKey: true };
  if (spec["experiment"] === "sweep") return [{ path, message: "is for train and compare runs; a sweep stops its trials by sweep.earlyTerminate", at }];
  const data = record(spec["data"]);
  const validation = data?.["source"] === "synthetic" ? record(data["synthetic"])?.["validation"] ?? DEFAULTS.data.synthetic.validation : data?.["validation"] ?? DEFAULTS.data.validation;
  const limit = num(record(data?.["limit"])?.["validation"]);
  const none = validation === 0 || (Array.isArray(validation) && validation.length === 0) || limit === 0;
  return none ? [{ path, message: "watches the validation split, and this spec has none (set data.validation)", at }] : [];
}

function checkCyclic(spec: Record<string, unknown>): PathIssue[] {
  const schedule = record(record(spec["training"])?.["schedule"]);
  if (schedule?.["type"] !== "cyclic") return [];
  const min = num(schedule["min"]);
  const max = num(schedule["max"]);
  if (min === undefined || max === undefined || min < max) return [];
  return [{ path: ["training", "schedule", "max"], message: `must be greater than min (${min}), got ${max}` }];
}

/** The number of training samples when the spec alone decides it (limit or synthetic), else undefined. */
export function knownTrainingSamples(spec: Record<string, unknown>): number | undefined {
  const data = record(spec["data"]);
  const limit = num(record(data?.["limit"])?.["train"]);
  if (limit !== undefined) return limit;
  if (data?.["source"] === "synthetic") return num(record(data["synthetic"])?.["train"]) ?? DEFAULTS.data.synthetic.train;
  return undefined;
}

export function checkGradcheck(spec: Record<string, unknown>): PathIssue[] {
  const batch = num(record(spec["gradcheck"])?.["batch"]);
  const available = knownTrainingSamples(spec);
  if (batch === undefined || available === undefined || batch <= available) return [];
  return [{ path: ["gradcheck", "batch"], message: `must be at most the number of training samples (${available}), got ${batch}` }];
}
