/** The keys whose values differ between the resolved specs of several runs, as a table. */
import { tableData, type TableData } from "./table-data.js";

/** Every leaf of a spec by its key path (a.b.0.c); arrays of scalars stay whole, as one value. */
export function keyPaths(value: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  const scalarList = Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null);
  if (typeof value === "object" && value !== null && !scalarList) {
    for (const [key, child] of Object.entries(value)) keyPaths(child, prefix === "" ? key : `${prefix}.${key}`, out);
  } else if (prefix !== "") {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

/** One row per key path that is not the same in every run (absent: "—"); names and descriptions are left out. */
export function specDifferencesTableData(runs: readonly { label: string; spec: Record<string, unknown> | undefined }[], caption?: string): TableData {
  const paths = runs.map((r) => keyPaths(r.spec ?? {}));
  const keys = [...new Set(paths.flatMap((p) => [...p.keys()]))].filter((k) => k !== "name" && k !== "description").sort();
  const rows = keys
    .map((key) => [key, ...paths.map((p) => p.get(key) ?? "—")])
    .filter((row) => new Set(row.slice(1)).size > 1);
  return tableData(["Key", ...runs.map((r) => r.label)], rows, ["left", ...runs.map(() => "left" as const)], caption);
}
