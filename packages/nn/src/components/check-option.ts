import type { TSchema } from "@sinclair/typebox";

/**
 * Why `value` does not satisfy an option's schema (the JSON Schema subset options use: number,
 * integer, boolean, string with enum, array of those, with ranges), or undefined when it does.
 * Options from YAML were already checked against the same schema by the runner; this guards code.
 */
export function optionProblem(schema: TSchema, value: unknown): string | undefined {
  const node = schema as { type?: string; enum?: unknown[]; const?: unknown; anyOf?: TSchema[]; items?: TSchema; minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number };
  if (node.anyOf !== undefined) return node.anyOf.some((branch) => optionProblem(branch, value) === undefined) ? undefined : `must be ${describe(node)}, got ${JSON.stringify(value)}`;
  if (node.const !== undefined) return value === node.const ? undefined : `must be ${JSON.stringify(node.const)}, got ${JSON.stringify(value)}`;
  if (node.enum !== undefined) return node.enum.includes(value) ? undefined : `must be one of ${node.enum.join(", ")}, got ${JSON.stringify(value)}`;
  switch (node.type) {
    case "number":
    case "integer": {
      if (typeof value !== "number" || !Number.isFinite(value) || (node.type === "integer" && !Number.isInteger(value))) return `must be ${describe(node)}, got ${JSON.stringify(value)}`;
      const inRange =
        (node.minimum === undefined || value >= node.minimum) &&
        (node.maximum === undefined || value <= node.maximum) &&
        (node.exclusiveMinimum === undefined || value > node.exclusiveMinimum) &&
        (node.exclusiveMaximum === undefined || value < node.exclusiveMaximum);
      return inRange ? undefined : `must be ${describe(node)}, got ${value}`;
    }
    case "boolean":
      return typeof value === "boolean" ? undefined : `must be true or false, got ${JSON.stringify(value)}`;
    case "string":
      return typeof value === "string" ? undefined : `must be a string, got ${JSON.stringify(value)}`;
    case "array": {
      if (!Array.isArray(value)) return `must be a list, got ${JSON.stringify(value)}`;
      for (const [i, item] of value.entries()) {
        const problem = node.items === undefined ? undefined : optionProblem(node.items, item);
        if (problem !== undefined) return `item ${i} ${problem}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** "a number in [0, 1)", "an integer ≥ 1". */
export function describe(node: { type?: unknown; minimum?: unknown; maximum?: unknown; exclusiveMinimum?: unknown; exclusiveMaximum?: unknown; anyOf?: readonly object[] }): string {
  if (node.anyOf !== undefined) return node.anyOf.map((branch) => describe(branch as typeof node)).join(" or ");
  const noun = node.type === "integer" ? "an integer" : node.type === "number" ? "a number" : node.type === "boolean" ? "true or false" : `a ${String(node.type ?? "value")}`;
  const low = node.minimum !== undefined ? `[${String(node.minimum)}` : node.exclusiveMinimum !== undefined ? `(${String(node.exclusiveMinimum)}` : undefined;
  const high = node.maximum !== undefined ? `${String(node.maximum)}]` : node.exclusiveMaximum !== undefined ? `${String(node.exclusiveMaximum)})` : undefined;
  if (low !== undefined && high !== undefined) return `${noun} in ${low}, ${high}`;
  if (low !== undefined) return `${noun} ${low.startsWith("[") ? "≥" : ">"} ${low.slice(1)}`;
  if (high !== undefined) return `${noun} ${high.endsWith("]") ? "≤" : "<"} ${high.slice(0, -1)}`;
  return noun;
}
