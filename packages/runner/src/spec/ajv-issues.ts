import type { ErrorObject } from "ajv";
import { describeValue, isRecord, type PathSegment, type SpecPath } from "./json.js";
import type { PathIssue } from "./issues.js";
import { badEnumMessage, unknownKeyMessage } from "./messages.js";
import { fragmentValidator, type SchemaNode } from "./schema.js";
import { acceptsType, alternatives, jsonTypeOf, schemaTypes } from "./schema-walk.js";

/** Turns ajv errors into one readable issue per problem. */
export function translateErrors(errors: readonly ErrorObject[], root: unknown, origins: ReadonlyMap<string, string>): PathIssue[] {
  return dedupe(translate(errors, [], root, origins));
}

function toPath(instancePath: string, base: SpecPath, data: unknown): SpecPath {
  const path: PathSegment[] = [...base];
  let node: unknown = data;
  const pieces = instancePath === "" ? [] : instancePath.slice(1).split("/");
  for (const raw of pieces) {
    const piece = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const segment: PathSegment = Array.isArray(node) ? Number(piece) : piece;
    path.push(segment);
    node = Array.isArray(node) ? node[Number(piece)] : isRecord(node) ? node[piece] : undefined;
  }
  return path;
}

function under(instancePath: string, prefix: string): boolean {
  return instancePath === prefix || instancePath.startsWith(`${prefix}/`);
}

function translate(errors: readonly ErrorObject[], base: SpecPath, data: unknown, origins: ReadonlyMap<string, string>): PathIssue[] {
  // An anyOf swallows all errors at or below its position: its branches are re-checked one by one.
  const unions = errors.filter((e) => e.keyword === "anyOf");
  const outer = unions.filter((u) => !unions.some((o) => o !== u && under(u.instancePath, o.instancePath) && o.instancePath !== u.instancePath));
  const issues: PathIssue[] = [];
  for (const union of outer) issues.push(...translateUnion(union, toPath(union.instancePath, base, data), origins));
  for (const error of errors) {
    if (error.keyword === "if" || outer.some((u) => under(error.instancePath, u.instancePath))) continue;
    issues.push(translateOne(error, toPath(error.instancePath, base, data), origins));
  }
  return issues;
}

/** Picks the branch meant by the value's type (fewest problems among those) and reports only its problems. */
function translateUnion(error: ErrorObject, path: SpecPath, origins: ReadonlyMap<string, string>): PathIssue[] {
  const branches = (error.parentSchema as SchemaNode).anyOf ?? [];
  const value: unknown = error.data;
  const type = jsonTypeOf(value);
  let best: PathIssue[] | undefined;
  for (const branch of branches) {
    if (!alternatives(branch).some((alt) => acceptsType(alt, type))) continue;
    const check = fragmentValidator(branch);
    if (check(value) === true) return [];
    const found = translate(check.errors ?? [], path, value, origins);
    if (best === undefined || found.length < best.length) best = found;
  }
  if (best !== undefined) return best;
  const expected = branches.flatMap((b) => alternatives(b)).map(describeExpected);
  return [{ path, message: `must be ${[...new Set(expected)].join(" or ")}, got ${describeValue(value)}` }];
}

const TYPE_NAMES: Record<string, string> = {
  integer: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  null: "nothing",
};

const PATTERN_HINTS: Record<string, string> = {
  "^[^/\\\\]+$": "must not contain / or \\",
  "^[A-Za-z][A-Za-z0-9_]*$": "must be a name of letters, digits and _ (starting with a letter)",
};

/** "a number > 0", "an integer ≥ 1", "a number in [0, 1)" — from the schema node, not from the failing keyword. */
export function describeExpected(node: SchemaNode): string {
  if (node.enum !== undefined) return `one of ${node.enum.map(String).join(", ")}`;
  const types = schemaTypes(node).filter((t) => t !== "string" || !(schemaTypes(node).includes("number") || schemaTypes(node).includes("integer")));
  const noun = types.length === 0 ? "a value" : types.map((t) => TYPE_NAMES[t] ?? t).join(" or ");
  const low = node.minimum !== undefined ? { v: node.minimum, open: false } : node.exclusiveMinimum !== undefined ? { v: node.exclusiveMinimum, open: true } : undefined;
  const high = node.maximum !== undefined ? { v: node.maximum, open: false } : node.exclusiveMaximum !== undefined ? { v: node.exclusiveMaximum, open: true } : undefined;
  if (low !== undefined && high !== undefined) {
    return `${noun} in ${low.open ? "(" : "["}${String(low.v)}, ${String(high.v)}${high.open ? ")" : "]"}`;
  }
  if (low !== undefined) return `${noun} ${low.open ? ">" : "≥"} ${String(low.v)}`;
  if (high !== undefined) return `${noun} ${high.open ? "<" : "≤"} ${String(high.v)}`;
  return noun;
}

function got(value: unknown, path: SpecPath, origins: ReadonlyMap<string, string>): string {
  const origin = origins.get(path.join("."));
  return `got ${describeValue(value)}${origin === undefined ? "" : ` (from ${JSON.stringify(origin)})`}`;
}

function translateOne(error: ErrorObject, path: SpecPath, origins: ReadonlyMap<string, string>): PathIssue {
  const node = (error.parentSchema ?? {}) as SchemaNode;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "type":
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return { path, message: `must be ${describeExpected(node)}, ${got(error.data, path, origins)}` };
    case "enum":
      return { path, message: badEnumMessage(error.data, node.enum ?? []) };
    case "const":
      return { path, message: badEnumMessage(error.data, [params["allowedValue"]]) };
    case "required": {
      const missing = String(params["missingProperty"]);
      return { path: [...path, missing], message: "missing (required)", at: { path, atKey: true } };
    }
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      const message = node.gradspecKeyPaths !== undefined
        ? "not a key path (expected dotted keys such as training.learningRate)"
        : unknownKeyMessage(key, Object.keys(node.properties ?? {}), path.join("."));
      return { path: [...path, key], message, at: { path: [...path, key], atKey: true } };
    }
    case "minItems":
    case "maxItems": {
      const count = Array.isArray(error.data) ? error.data.length : 0;
      const exact = node.minItems !== undefined && node.minItems === node.maxItems;
      const want = exact ? `exactly ${node.minItems}` : error.keyword === "minItems" ? `at least ${node.minItems}` : `at most ${node.maxItems}`;
      const wanted = exact || error.keyword === "minItems" ? node.minItems : node.maxItems;
      return { path, message: `must have ${want} item${wanted === 1 ? "" : "s"}, got ${count}` };
    }
    case "minProperties":
    case "maxProperties": {
      const keys = Object.keys(node.properties ?? {});
      if (node.maxProperties === 1 && keys.length > 0) return { path, message: `must have exactly one of ${keys.join(", ")}` };
      return { path, message: "must not be empty" };
    }
    case "uniqueItems":
      return { path: [...path, Number(params["i"])], message: `repeats item ${String(params["j"])}` };
    case "minLength":
      return { path, message: "must not be empty" };
    case "pattern": {
      const hint = PATTERN_HINTS[String(params["pattern"])] ?? `must match ${String(params["pattern"])}`;
      return { path, message: `${hint}, got ${describeValue(error.data)}` };
    }
    default:
      return { path, message: error.message ?? error.keyword };
  }
}

function dedupe(issues: readonly PathIssue[]): PathIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path.join(".")}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
