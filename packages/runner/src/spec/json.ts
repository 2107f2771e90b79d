/** Plain JSON-like values as they come out of YAML, and small helpers to inspect them. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A location inside a spec: object keys and list indices. */
export type PathSegment = string | number;
export type SpecPath = readonly PathSegment[];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function formatPath(path: SpecPath): string {
  return path.length === 0 ? "(spec)" : path.join(".");
}

/** How a value reads in a message: `"text"`, `2.5`, `a list`, `a mapping`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

export function deepClone<T>(value: T): T {
  return structuredClone(value);
}

export function startsWith(path: SpecPath, prefix: SpecPath): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}
