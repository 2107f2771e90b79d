import { parseDocument } from "yaml";
import { checkYamlNodes } from "./yaml-limits.js";
import { deepClone, isRecord, ownValue, setOwn, type SpecPath } from "./json.js";
import { SpecError, type SpecIssue } from "./issues.js";
import { resolveKeyPath } from "./key-path.js";
import { withContext } from "./messages.js";
import { expandShorthand } from "./shorthand.js";

/** Puts `value` at `path`, creating missing mappings/lists and expanding short forms on the way. */
export function setAt(root: Record<string, unknown>, path: SpecPath, value: unknown): void {
  let container: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]!;
    const nextIsIndex = typeof path[i + 1] === "number";
    const current: unknown = Array.isArray(container) ? container[segment as number] : ownValue(container, segment as string);
    let child: unknown = current;
    if (child === undefined || child === null) child = nextIsIndex ? [] : {};
    else if (!nextIsIndex) child = expandShorthand(path.slice(0, i + 1), child);
    if (child === undefined || (nextIsIndex ? !Array.isArray(child) : !isRecord(child))) {
      throw new Error(`cannot set ${path.join(".")}: ${path.slice(0, i + 1).join(".")} is not a ${nextIsIndex ? "list" : "mapping"}`);
    }
    if (Array.isArray(container)) container[segment as number] = child;
    else setOwn(container, segment as string, child);
    container = child as Record<string, unknown> | unknown[];
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(container)) container[last as number] = value;
  else setOwn(container, last as string, value);
}

/**
 * A copy of `spec` with each key path set to its value (values are copied, not evaluated: the
 * result is meant for validateSpec). Throws SpecError, labelled `label`, if a key path is not in
 * the spec format.
 */
export function applyOverrides(spec: object, values: Readonly<Record<string, unknown>>, label = "override"): Record<string, unknown> {
  const out = deepClone(spec) as Record<string, unknown>;
  const issues: SpecIssue[] = [];
  for (const [keyPath, value] of Object.entries(values)) {
    const target = resolveKeyPath(keyPath, out);
    if (!target.ok) {
      issues.push({ file: label, line: 0, col: 0, path: target.path.join("."), message: withContext(target.message, ` in ${keyPath}`) });
      continue;
    }
    setAt(out, target.path, deepClone(value));
  }
  if (issues.length > 0) throw new SpecError(issues);
  return out;
}

/** One `--set key.path=value`, as written on the command line. */
export interface ParsedOverride {
  readonly text: string;
  readonly keyPath: string;
  readonly value: unknown;
  /** 1-based column of the value in `text`. */
  readonly valueColumn: number;
}

export type OverrideParse = { ok: true; override: ParsedOverride } | { ok: false; column: number; path: string; message: string };

/** `training.epochs=2`, `model.hidden=[20,10]`: the value is YAML (flow scalars and collections). */
export function parseOverride(text: string): OverrideParse {
  const eq = text.indexOf("=");
  if (eq <= 0) return { ok: false, column: 1, path: text.trim() || "(empty)", message: `expected key.path=value in --set ${text}` };
  const keyPath = text.slice(0, eq).trim();
  const doc = parseDocument(text.slice(eq + 1), { prettyErrors: false });
  const problem = doc.errors[0] === undefined ? checkYamlNodes(doc)[0] : { offset: doc.errors[0].pos[0], message: `value is not valid YAML (${doc.errors[0].message.split("\n")[0]!.trim()})` };
  if (problem !== undefined) return { ok: false, column: eq + 2 + problem.offset, path: keyPath, message: `${problem.message} in --set ${text}` };
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // e.g. an alias (*a) with no anchor: the value is one YAML document of its own.
    return { ok: false, column: eq + 2, path: keyPath, message: `value is not valid YAML (${(error as Error).message.split("\n")[0]}) in --set ${text}` };
  }
  return { ok: true, override: { text, keyPath, value, valueColumn: eq + 2 } };
}
