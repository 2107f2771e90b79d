import { didYouMean, closest } from "./suggest.js";
import { allPropertyPaths } from "./schema-walk.js";
import { rootSchema } from "./schema.js";

let propertyPaths: string[] | undefined;

/**
 * "unknown key (did you mean epochs?)": a close sibling first; otherwise, if the key exists
 * elsewhere in the format ("learningRate" under model), the place where it belongs.
 */
export function unknownKeyMessage(key: string, siblings: readonly string[], parentPath: string): string {
  const near = closest(key, siblings);
  if (near !== undefined) return `unknown key (did you mean ${near}?)`;
  propertyPaths ??= allPropertyPaths(rootSchema());
  const elsewhere = propertyPaths.filter((p) => p.split(".").pop()!.toLowerCase() === key.toLowerCase() && !p.includes(".N"));
  const shared = (p: string): number => {
    const a = p.split(".");
    const b = parentPath.split(".");
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  };
  const here = parentPath === "" ? key : `${parentPath}.${key}`;
  // Another type of the same component has it (momentum is sgd's, not adam's): say what this one takes.
  if (elsewhere.includes(here) && siblings.length > 0) return `unknown key for this type; allowed: ${siblings.join(", ")}`;
  const other = elsewhere.filter((p) => p !== here).sort((x, y) => shared(y) - shared(x))[0];
  if (other !== undefined) return `unknown key here (did you mean ${other}?)`;
  return siblings.length > 0 ? `unknown key; allowed: ${siblings.join(", ")}` : "unknown key";
}

export function badEnumMessage(value: unknown, allowed: readonly unknown[]): string {
  const shown = allowed.map((v) => String(v)).join(", ");
  const got = typeof value === "string" ? JSON.stringify(value) : String(value);
  const hint = typeof value === "string" ? didYouMean(value, allowed.filter((v): v is string => typeof v === "string")) : "";
  return `must be one of ${shown}; got ${got}${hint}`;
}

/** Adds `insertion` before a trailing "(did you mean …?)", so that hint stays last. */
export function withContext(message: string, insertion: string): string {
  const hint = / \(did you mean [^)]*\?\)$/.exec(message);
  return hint === null ? `${message}${insertion}` : `${message.slice(0, hint.index)}${insertion}${hint[0]}`;
}
