import type { PathIssue } from "../issues.js";
import { list, record, str } from "./loose.js";
import { checkKeyPaths } from "./key-paths.js";
import { probe, type SpecChecker } from "./derived.js";
import { checkIgnoredOptions } from "./ignored-options.js";

/** Variant names are unique; each `set` names real keys and gives a valid training run. */
export function checkCompare(spec: Record<string, unknown>, deep: boolean, check: SpecChecker): PathIssue[] {
  const variants = list(record(spec["compare"])?.["variants"]);
  if (variants === undefined) return [];
  const issues: PathIssue[] = [];
  const seen = new Set<string>();
  variants.forEach((variant, i) => {
    const v = record(variant);
    const name = str(v?.["name"]);
    if (name !== undefined) {
      if (seen.has(name)) issues.push({ path: ["compare", "variants", i, "name"], message: `duplicate variant name ${JSON.stringify(name)}` });
      seen.add(name);
    }
    const set = record(v?.["set"]);
    if (set === undefined) return;
    const setPath = ["compare", "variants", i, "set"];
    const before = issues.length;
    const keys = checkKeyPaths(Object.keys(set), setPath, spec, issues);
    issues.push(...checkIgnoredOptions(spec, new Map(Object.entries(set).map(([key, value]) => [key, [value]])), setPath, "set"));
    if (!deep || issues.length > before) return;
    const entries = keys.map((key) => ({ key, value: set[key.key], writtenAt: [...setPath, key.key] }));
    issues.push(...probe(spec, entries, setPath, check));
  });
  return issues;
}
