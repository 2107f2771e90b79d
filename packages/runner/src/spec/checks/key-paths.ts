import type { PathIssue } from "../issues.js";
import type { SpecPath } from "../json.js";
import { resolveKeyPath } from "../key-path.js";
import type { SchemaNode } from "../schema.js";

const SETTABLE = ["data", "model", "training"];

export interface CheckedKey {
  key: string;
  /** Where the key path leads in the spec. */
  target: SpecPath;
  schema: SchemaNode;
}

/**
 * Checks the keys of a key-path mapping (compare `set`, sweep `parameters`, final `set`): each must
 * exist in the spec format and lie under data, model or training. Returns the valid ones.
 */
export function checkKeyPaths(keys: readonly string[], recordPath: SpecPath, spec: unknown, issues: PathIssue[]): CheckedKey[] {
  const valid: CheckedKey[] = [];
  for (const key of keys) {
    const at = { path: [...recordPath, key], atKey: true };
    const resolved = resolveKeyPath(key, spec);
    if (!resolved.ok) {
      const where = resolved.path.join(".");
      issues.push({ path: [...recordPath, key], message: where === key ? resolved.message : `at ${where}: ${resolved.message}`, at });
    } else if (!SETTABLE.includes(String(resolved.path[0])) || resolved.path.length < 2) {
      issues.push({ path: [...recordPath, key], message: "only keys under data, model and training can be set", at });
    } else {
      valid.push({ key, target: resolved.path, schema: resolved.schema });
    }
  }
  return valid;
}
