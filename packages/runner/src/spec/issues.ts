import type { SpecPath } from "./json.js";

/** One problem in a spec, located in a file (line and col are 1-based; 0 when unknown). */
export interface SpecIssue {
  file: string;
  line: number;
  col: number;
  /** Dotted key path, e.g. "model.layers.1.units"; "(spec)" for the whole document, "(yaml)" for syntax errors. */
  path: string;
  message: string;
}

/** A problem found before it is located: checks only know the key path. */
export interface PathIssue {
  path: SpecPath;
  message: string;
  /** Where to point, if not at the value of `path`: e.g. at an unknown key, or at the mapping missing a key. */
  at?: { path: SpecPath; atKey: boolean };
}

export function formatIssue(issue: SpecIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.col}` : issue.file;
  return `${where}: ${issue.path}: ${issue.message}`;
}

/** The pseudo file of command-line overrides: its problems are listed after the spec file's. */
export const SET_FILE = "--set";

/** Grouped by file in order of first appearance (`--set` last), then by position (stable for equal positions). */
export function sortIssues(issues: readonly SpecIssue[]): SpecIssue[] {
  const fileOrder = new Map<string, number>();
  for (const issue of issues) if (!fileOrder.has(issue.file)) fileOrder.set(issue.file, issue.file === SET_FILE ? Infinity : fileOrder.size);
  return [...issues].sort(
    (a, b) => (fileOrder.get(a.file) === fileOrder.get(b.file) ? 0 : fileOrder.get(a.file)! < fileOrder.get(b.file)! ? -1 : 1) || a.line - b.line || a.col - b.col,
  );
}

/** Every issue of a spec, one per line in `.message`; no stack trace is ever worth showing. */
export class SpecError extends Error {
  readonly issues: readonly SpecIssue[];

  constructor(issues: readonly SpecIssue[]) {
    const sorted = sortIssues(issues);
    super(sorted.map(formatIssue).join("\n"));
    this.name = "SpecError";
    this.issues = sorted;
  }
}
