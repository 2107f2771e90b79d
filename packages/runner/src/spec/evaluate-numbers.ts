import { evaluateExpression } from "./expressions.js";
import { isRecord, setOwn, type SpecPath } from "./json.js";
import type { PathIssue } from "./issues.js";
import { resolveKeyPath } from "./key-path.js";
import type { SchemaNode } from "./schema.js";
import { alternatives, isNumeric, objectAlternatives, propertySchema, arrayAlternatives } from "./schema-walk.js";

export interface NumberContext {
  /** The whole spec, to resolve key paths used as keys (compare `set`, sweep `parameters`). */
  readonly root: unknown;
  readonly issues: PathIssue[];
  /** Key path (dotted) → the expression text a number came from, for messages. */
  readonly origins: Map<string, string>;
}

/**
 * Replaces every string that sits where the schema expects a number by its value. Driven by the
 * schema, so a new numeric field needs no change here. Strings that do not evaluate stay strings
 * (and an issue is recorded).
 */
export function evaluateNumbers(value: unknown, schema: SchemaNode, path: SpecPath, ctx: NumberContext): unknown {
  const alts = alternatives(schema, value);
  if (typeof value === "string") {
    if (!alts.some(isNumeric)) return value;
    const result = evaluateExpression(value);
    if (result.ok) {
      ctx.origins.set(path.join("."), value);
      return result.value;
    }
    const shown = value.length > 60 ? `${value.slice(0, 40)}…` : value;
    ctx.issues.push({ path, message: `expression ${JSON.stringify(shown)} does not evaluate to a number: ${result.message}` });
    return value;
  }
  if (Array.isArray(value)) {
    const items = arrayAlternatives(alts)[0]?.items;
    return items === undefined ? value : value.map((item, i) => evaluateNumbers(item, items, [...path, i], ctx));
  }
  if (!isRecord(value)) return value;
  const objects = objectAlternatives(alts);
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const keyPaths = objects.find((alt) => alt.gradspecKeyPaths !== undefined)?.gradspecKeyPaths;
    const childSchema = objects.map((alt) => propertySchema(alt, key)).find((s) => s !== undefined);
    let evaluated = childSchema === undefined ? child : evaluateNumbers(child, childSchema, [...path, key], ctx);
    if (keyPaths !== undefined) evaluated = evaluateKeyPathEntry(keyPaths, key, evaluated, [...path, key], ctx);
    setOwn(out, key, evaluated);
  }
  return out;
}

/** A `set` value, or the `values` of a sweep distribution, is evaluated as if written at its key path. */
function evaluateKeyPathEntry(kind: "values" | "distributions", key: string, entry: unknown, path: SpecPath, ctx: NumberContext): unknown {
  const target = resolveKeyPath(key, ctx.root);
  if (!target.ok) return entry;
  if (kind === "values") return evaluateNumbers(entry, target.schema, path, ctx);
  if (!isRecord(entry) || !Array.isArray(entry["values"])) return entry;
  const values = entry["values"].map((item: unknown, i) => evaluateNumbers(item, target.schema, [...path, "values", i], ctx));
  return { ...entry, values };
}
