import Ajv, { type ValidateFunction } from "ajv";
import { ComponentRegistry } from "@gradspec/nn";
import { SECTION_DEFINITIONS, specRootSchema } from "./sections.js";
import { componentDefinitions } from "./components-schema.js";

/** The subset of JSON Schema (draft-07) that gradspec.schema.json uses. */
export interface SchemaNode {
  $ref?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  items?: SchemaNode;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  pattern?: string;
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  if?: SchemaNode;
  then?: SchemaNode;
  definitions?: Record<string, SchemaNode>;
  /** gradspec annotation: this mapping's keys are key paths into the spec ("values" or "distributions"). */
  gradspecKeyPaths?: "values" | "distributions";
}

let root: SchemaNode | undefined;
let rootRevision = -1;

/**
 * The JSON Schema of a spec (what `gradspec schema` prints and editors load): the sections, with the
 * components registered now (built-ins, and plugins once loaded) in its definitions.
 */
export function specSchema(): Readonly<Record<string, unknown>> {
  return rootSchema() as unknown as Readonly<Record<string, unknown>>;
}

export function rootSchema(): SchemaNode {
  if (root === undefined || rootRevision !== ComponentRegistry.revision) {
    // Through JSON: the schema is plain data (TypeBox's symbol keys stay behind).
    root = withDefaultsDescribed(JSON.parse(JSON.stringify({ ...specRootSchema, definitions: { ...SECTION_DEFINITIONS, ...componentDefinitions() } })) as SchemaNode);
    rootRevision = ComponentRegistry.revision;
    ajv = undefined;
    validator = undefined;
  }
  return root;
}

/** Follows local `#/definitions/...` references (siblings of $ref are annotations only). */
export function deref(node: SchemaNode): SchemaNode {
  let current = node;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    const name = current.$ref.replace(/^#\/definitions\//, "");
    const target = rootSchema().definitions?.[name];
    if (target === undefined || hops > 20) throw new Error(`gradspec schema: unresolved $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

/** Hover help shows descriptions, not `default`: a described key with a default says it (once). */
function withDefaultsDescribed(node: SchemaNode): SchemaNode {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== "object" || value === null) return;
    const n = value as SchemaNode & { default?: unknown };
    if (n.default !== undefined && typeof n.description === "string" && !n.description.includes("Default")) n.description = `${n.description} Default ${formatDefault(n.default)}.`;
    Object.values(n).forEach(visit);
  };
  visit(node);
  return node;
}

/** 1e-5 and 1e6 as a reader writes them, [0], names bare. */
export function formatDefault(value: unknown): string {
  if (typeof value === "number") return value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5) ? value.toExponential().replace("e+", "e") : String(value);
  if (Array.isArray(value)) return `[${value.map(formatDefault).join(", ")}]`;
  return typeof value === "string" ? value : JSON.stringify(value);
}

let ajv: Ajv | undefined;
let validator: ValidateFunction | undefined;
const conditionCache = new WeakMap<SchemaNode, ValidateFunction>();

function compiler(): Ajv {
  ajv ??= new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true, strictTypes: false });
  if (ajv.getKeyword("gradspecKeyPaths") === false) ajv.addKeyword({ keyword: "gradspecKeyPaths", schemaType: "string" });
  return ajv;
}

export function specValidator(): ValidateFunction {
  const schema = rootSchema();
  validator ??= compiler().compile(schema);
  return validator;
}

const fragmentCache = new WeakMap<SchemaNode, ValidateFunction>();

/** A validator for one node of the schema (e.g. one anyOf branch), with the schema's definitions in reach. */
export function fragmentValidator(node: SchemaNode): ValidateFunction {
  let check = fragmentCache.get(node);
  if (check === undefined) {
    check = compiler().compile({ ...node, definitions: rootSchema().definitions });
    fragmentCache.set(node, check);
  }
  return check;
}

/** Whether `data` satisfies an `if` condition of the schema (conditions never contain $ref). */
export function matchesCondition(condition: SchemaNode, data: unknown): boolean {
  let check = conditionCache.get(condition);
  if (check === undefined) {
    check = compiler().compile(condition);
    conditionCache.set(condition, check);
  }
  return check(data) === true;
}
