import { describeValue, formatPath, isRecord, ownValue, type PathSegment, type SpecPath } from "./json.js";
import { unknownKeyMessage } from "./messages.js";
import { rootSchema, type SchemaNode } from "./schema.js";
import { alternatives, arrayAlternatives, knownKeys, objectAlternatives, propertySchema } from "./schema-walk.js";
import { expandShorthand } from "./shorthand.js";
import { COMPONENT_DEFAULTS } from "./defaults.js";

export type KeyPathResolution =
  | { ok: true; path: SpecPath; schema: SchemaNode }
  /** `path` runs up to the bad segment; `column` is its 0-based offset in the text. */
  | { ok: false; path: SpecPath; column: number; message: string };

interface Part {
  text: string;
  start: number;
}

function splitParts(text: string): Part[] {
  const parts: Part[] = [];
  let start = 0;
  for (const piece of text.split(".")) {
    parts.push({ text: piece, start });
    start += piece.length + 1;
  }
  return parts;
}

/**
 * Inside a mapping whose keys are themselves key paths (compare `set`, sweep `parameters`), the key
 * is the longest run of the remaining parts that names an existing entry or a valid spec key path.
 */
function keyPathKey(parts: readonly Part[], from: number, value: unknown, root: unknown): number {
  for (let end = parts.length; end > from; end--) {
    const key = parts.slice(from, end).map((p) => p.text).join(".");
    if (isRecord(value) && key in value) return end;
    if (resolveKeyPath(key, root).ok) return end;
  }
  return parts.length;
}

/**
 * Checks a dotted key path (`model.layers.1.units`) against the spec format, following the
 * actual data where the format depends on it (a layer's type), and returns the schema found there.
 */
export function resolveKeyPath(text: string, root: unknown): KeyPathResolution {
  const parts = splitParts(text);
  const path: PathSegment[] = [];
  let node: SchemaNode = rootSchema();
  let value: unknown = root;
  for (let i = 0; i < parts.length; ) {
    const part = parts[i]!;
    if (part.text === "") return { ok: false, path: [...path, part.text], column: part.start, message: "empty key in key path" };
    if (value === undefined) value = COMPONENT_DEFAULTS[formatPath(path)];
    const shorthand = value === undefined ? undefined : expandShorthand(path, value);
    if (shorthand !== undefined) value = shorthand;
    const alts = alternatives(node, value);
    const lists = arrayAlternatives(alts);
    if (Array.isArray(value) || (lists.length > 0 && objectAlternatives(alts).length === 0)) {
      const list = lists[0];
      if (list === undefined || list.items === undefined) {
        return { ok: false, path: [...path, part.text], column: part.start, message: `${formatPath(path)} is not a list` };
      }
      if (!/^\d+$/.test(part.text)) {
        return { ok: false, path: [...path, part.text], column: part.start, message: `expected a list index (0, 1, …) after ${formatPath(path)}` };
      }
      const index = Number(part.text);
      const length = Array.isArray(value) ? value.length : 0;
      if (index > length) {
        return { ok: false, path: [...path, index], column: part.start, message: `index ${index} is past the end of the list (${length} items)` };
      }
      path.push(index);
      node = list.items;
      value = Array.isArray(value) ? (value[index] as unknown) : undefined;
      i++;
      continue;
    }
    const objects = objectAlternatives(alts);
    if (objects.length === 0) {
      const what = value === undefined ? "not a mapping" : `${describeValue(value)}, not a mapping`;
      return { ok: false, path: [...path, part.text], column: part.start, message: `${formatPath(path)} is ${what}` };
    }
    const record = objects.find((alt) => alt.gradspecKeyPaths !== undefined);
    if (record !== undefined) {
      const end = keyPathKey(parts, i, value, root);
      const key = parts.slice(i, end).map((p) => p.text).join(".");
      const target = record.gradspecKeyPaths === "values" ? resolveKeyPath(key, root) : undefined;
      const child = target?.ok === true ? target.schema : propertySchema(record, key);
      if (child === undefined) return { ok: false, path: [...path, key], column: part.start, message: "not a key path" };
      path.push(key);
      node = child;
      value = ownValue(value, key);
      i = end;
      continue;
    }
    const child = objects.map((alt) => propertySchema(alt, part.text)).find((s) => s !== undefined);
    if (child === undefined) {
      return { ok: false, path: [...path, part.text], column: part.start, message: unknownKeyMessage(part.text, knownKeys(objects), path.join(".")) };
    }
    path.push(part.text);
    node = child;
    value = ownValue(value, part.text);
    i++;
  }
  return { ok: true, path, schema: node };
}
