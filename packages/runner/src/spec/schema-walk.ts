import { isRecord, PROTOTYPE_KEYS } from "./json.js";
import { deref, matchesCondition, type SchemaNode } from "./schema.js";

/** JSON Schema type names of a value ("integer" for whole numbers). */
export function jsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

export function schemaTypes(node: SchemaNode): string[] {
  if (node.type === undefined) return [];
  return Array.isArray(node.type) ? node.type : [node.type];
}

export function acceptsType(node: SchemaNode, type: string): boolean {
  const types = schemaTypes(node);
  if (types.length === 0) return true;
  return types.includes(type) || (type === "integer" && types.includes("number"));
}

/** A numeric field also accepts strings: they are math expressions, evaluated before validation. */
export function isNumeric(node: SchemaNode): boolean {
  const types = schemaTypes(node);
  return types.includes("number") || types.includes("integer");
}

/** Applies the `then` parts whose `if` matches `data` (merged into one node; the base's property schemas win). */
function withConditionals(node: SchemaNode, data: unknown): SchemaNode {
  if (node.allOf === undefined || data === undefined) return node;
  let merged: SchemaNode = { ...node };
  for (const part of node.allOf) {
    if (part.if === undefined || part.then === undefined || !matchesCondition(part.if, data)) continue;
    const then = part.then;
    const properties: Record<string, SchemaNode> = { ...then.properties };
    for (const [key, schema] of Object.entries(merged.properties ?? {})) properties[key] = { ...properties[key], ...schema };
    merged = {
      ...merged,
      properties,
      required: [...(merged.required ?? []), ...(then.required ?? [])],
      ...(then.additionalProperties !== undefined ? { additionalProperties: then.additionalProperties } : {}),
    };
  }
  return merged;
}

/**
 * The schema alternatives that apply at a position, $refs followed, anyOf flattened and if/then merged.
 * With data, alternatives whose type cannot hold it are dropped (unless none can).
 */
export function alternatives(node: SchemaNode, data?: unknown): SchemaNode[] {
  const flat: SchemaNode[] = [];
  const visit = (n: SchemaNode): void => {
    const concrete = deref(n);
    if (concrete.anyOf !== undefined) concrete.anyOf.forEach(visit);
    else flat.push(concrete);
  };
  visit(node);
  if (data === undefined) return flat;
  const type = jsonTypeOf(data);
  const fitting = flat.filter((alt) => acceptsType(alt, type));
  return (fitting.length > 0 ? fitting : flat).map((alt) => withConditionals(alt, data));
}

function patternChild(alt: SchemaNode, key: string): SchemaNode | undefined {
  for (const [pattern, schema] of Object.entries(alt.patternProperties ?? {})) {
    if (new RegExp(pattern, "u").test(key)) return schema;
  }
  return undefined;
}

/** The schema of `key` inside an object alternative; undefined if the key is not allowed there. */
export function propertySchema(alt: SchemaNode, key: string): SchemaNode | undefined {
  if (PROTOTYPE_KEYS.has(key)) return undefined;
  const direct = (alt.properties !== undefined && Object.hasOwn(alt.properties, key) ? alt.properties[key] : undefined) ?? patternChild(alt, key);
  if (direct !== undefined) return direct;
  if (alt.additionalProperties === false) return undefined;
  return isRecord(alt.additionalProperties) ? (alt.additionalProperties as SchemaNode) : {};
}

export function knownKeys(alts: readonly SchemaNode[]): string[] {
  return [...new Set(alts.flatMap((alt) => Object.keys(alt.properties ?? {})))];
}

export function objectAlternatives(alts: readonly SchemaNode[]): SchemaNode[] {
  return alts.filter((alt) => acceptsType(alt, "object") && (alt.type !== undefined || alt.properties !== undefined));
}

export function arrayAlternatives(alts: readonly SchemaNode[]): SchemaNode[] {
  return alts.filter((alt) => schemaTypes(alt).includes("array"));
}

/** Every key path (dotted) that names a property somewhere in the schema, for "did you mean training.lambda?". */
export function allPropertyPaths(root: SchemaNode): string[] {
  const out: string[] = [];
  const seen = new Set<SchemaNode>();
  const walk = (node: SchemaNode, prefix: string): void => {
    for (const alt of alternatives(node)) {
      if (seen.has(alt)) continue;
      seen.add(alt);
      const parts = [alt, ...(alt.allOf ?? []).map((p) => p.then).filter((t): t is SchemaNode => t !== undefined)];
      for (const part of parts) {
        for (const [key, child] of Object.entries(part.properties ?? {})) {
          const path = prefix === "" ? key : `${prefix}.${key}`;
          out.push(path);
          walk(child, path);
        }
      }
      if (alt.items !== undefined) walk(alt.items, `${prefix}.N`);
      seen.delete(alt);
    }
  };
  walk(root, "");
  return [...new Set(out)];
}
