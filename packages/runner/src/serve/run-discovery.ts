/** The run folders under a folder: any folder (down to a few levels) with a resolved spec or a summary. */
import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { SUMMARY } from "../run/read-run.js";
import { RESOLVED_SPEC } from "../run/render.js";

const MAX_DEPTH = 4;
const SKIPPED: ReadonlySet<string> = new Set(["node_modules", "states"]);

export interface FoundRun {
  /** Path from the served folder, with forward slashes ("" for the folder itself). */
  rel: string;
  path: string;
}

export function findRuns(root: string): FoundRun[] {
  const found: FoundRun[] = [];
  const visit = (dir: string, depth: number): void => {
    if (existsSync(join(dir, RESOLVED_SPEC)) || existsSync(join(dir, SUMMARY))) {
      found.push({ rel: relative(root, dir).split(sep).join("/"), path: dir });
      return;
    }
    if (depth >= MAX_DEPTH) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory() && !e.name.startsWith(".") && !SKIPPED.has(e.name)) visit(join(dir, e.name), depth + 1);
    }
  };
  visit(root, 0);
  return found;
}
