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

/**
 * Keys that assignment treats as the object's prototype rather than as data: they are never spec keys.
 * Specs come from YAML, JSON and the command line, so such a key is refused where it is written.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__"]);

/** Sets an own property, whatever the key (`obj[key] = value` with `__proto__` would replace the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** An own property's value, never one inherited from a prototype. */
export function ownValue(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** Where `value` has a key from PROTOTYPE_KEYS, at any depth (own keys, as YAML and JSON parsers give them). */
export function prototypeKeyPaths(value: unknown, path: SpecPath = []): SpecPath[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => prototypeKeyPaths(item, [...path, i]));
  if (!isRecord(value)) return [];
  return Object.keys(value).flatMap((key) => (PROTOTYPE_KEYS.has(key) ? [[...path, key]] : prototypeKeyPaths(value[key], [...path, key])));
}
