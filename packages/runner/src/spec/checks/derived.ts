import { deepClone, startsWith, type SpecPath } from "../json.js";
import type { PathIssue } from "../issues.js";
import { setAt } from "../overrides.js";
import type { CheckedKey } from "./key-paths.js";

/** Validates a spec object (evaluating expressions) and reports what is wrong with it. */
export type SpecChecker = (raw: unknown) => { issues: PathIssue[]; value: unknown };

export interface ProbeEntry {
  key: CheckedKey;
  value: unknown;
  /** Where this value was written in the spec being checked. */
  writtenAt: SpecPath;
}

/**
 * The training run a compare variant, sweep trial or final run would be: the base spec without its
 * compare/sweep section, as `experiment: train`, with the entries set.
 */
export function deriveTrainObject(base: Record<string, unknown>, entries: readonly { target: SpecPath; value: unknown }[]): Record<string, unknown> {
  const derived = deepClone(base);
  delete derived["compare"];
  delete derived["sweep"];
  delete derived["gradcheck"];
  derived["experiment"] = "train";
  for (const entry of entries) setAt(derived, entry.target, deepClone(entry.value));
  return derived;
}

/**
 * Checks the derived training run and reports its problems where the values were written: inside
 * the set value when the problem is there, else on the whole mapping (`fallback`), naming the key.
 */
export function probe(base: Record<string, unknown>, entries: readonly ProbeEntry[], fallback: SpecPath, check: SpecChecker): PathIssue[] {
  let derived: Record<string, unknown>;
  try {
    derived = deriveTrainObject(base, entries.map((e) => ({ target: e.key.target, value: e.value })));
  } catch (error) {
    return [{ path: fallback, message: (error as Error).message }];
  }
  return check(derived).issues.map((issue) => {
    const at = issue.at?.path ?? issue.path;
    const entry = [...entries].reverse().find((e) => startsWith(at, e.key.target) || startsWith(issue.path, e.key.target));
    if (entry === undefined) {
      return { path: fallback, message: `gives an invalid spec: ${issue.path.join(".")}: ${issue.message}`, at: { path: fallback, atKey: true } };
    }
    const relocate = (p: SpecPath): SpecPath => (startsWith(p, entry.key.target) ? [...entry.writtenAt, ...p.slice(entry.key.target.length)] : entry.writtenAt);
    return {
      path: relocate(issue.path),
      message: issue.message,
      at: { path: relocate(at), atKey: issue.at?.atKey ?? false },
    };
  });
}
