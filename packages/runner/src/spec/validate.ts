import { basename, extname } from "node:path";
import { translateErrors } from "./ajv-issues.js";
import { crossChecks } from "./checks/index.js";
import { evaluateNumbers, type NumberContext } from "./evaluate-numbers.js";
import type { SpecInput } from "./input-types.js";
import { SpecError, type PathIssue } from "./issues.js";
import { describeValue, isRecord, PROTOTYPE_KEYS, prototypeKeyPaths } from "./json.js";
import { resolveSpec } from "./resolve.js";
import { rootSchema, specValidator } from "./schema.js";
import type { ResolvedSpec } from "./types.js";

export interface CheckResult {
  issues: PathIssue[];
  /** The spec with expressions evaluated (meaningful only without issues). */
  value: unknown;
}

/** Expressions, then the JSON Schema, then the checks the schema cannot express. */
export function checkSpecObject(raw: unknown): CheckResult {
  if (!isRecord(raw)) {
    const message = raw === null || raw === undefined ? "the spec is empty" : `must be a mapping of keys (experiment, data, …), got ${describeValue(raw)}`;
    return { issues: [{ path: [], message }], value: raw };
  }
  const polluting = prototypeKeyPaths(raw);
  if (polluting.length > 0) {
    const message = `unknown key (${[...PROTOTYPE_KEYS].join(", ")} is never a key of a spec)`;
    return { issues: polluting.map((path) => ({ path, message, at: { path, atKey: true } })), value: raw };
  }
  const ctx: NumberContext = { root: raw, issues: [], origins: new Map() };
  const value = evaluateNumbers(raw, rootSchema(), [], ctx) as Record<string, unknown>;
  const validate = specValidator();
  const schemaIssues = validate(value) === true ? [] : translateErrors(validate.errors ?? [], value, ctx.origins);
  const issues = [...ctx.issues, ...schemaIssues];
  issues.push(...crossChecks(value, issues.length === 0, checkSpecObject));
  return { issues, value };
}

export function nameFromFile(file: string): string {
  return basename(file, extname(file));
}

/**
 * Validates a spec object (e.g. after applyOverrides) and fills its defaults. Throws SpecError whose
 * issues carry `label` as file and no line/column.
 */
export function validateSpec(obj: unknown, label: string): ResolvedSpec {
  const { issues, value } = checkSpecObject(obj);
  if (issues.length > 0) {
    throw new SpecError(issues.map((issue) => ({ file: label, line: 0, col: 0, path: issue.path.length === 0 ? "(spec)" : issue.path.join("."), message: issue.message })));
  }
  return resolveSpec(value as SpecInput, nameFromFile(label));
}
