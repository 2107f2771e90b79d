import { readFileSync, statSync, type Stats } from "node:fs";
import { errorCode } from "../error-code.js";
import { SET_FILE, SpecError, type PathIssue, type SpecIssue } from "./issues.js";
import { startsWith, type SpecPath } from "./json.js";
import { resolveKeyPath } from "./key-path.js";
import { withContext } from "./messages.js";
import { parseOverride, setAt, type ParsedOverride } from "./overrides.js";
import { resolveSpec } from "./resolve.js";
import { checkSpecObject, nameFromFile } from "./validate.js";
import { parseYamlSource, type YamlSource } from "./yaml-source.js";
import { SPEC_LIMITS } from "./yaml-limits.js";
import type { SpecInput } from "./input-types.js";
import type { ResolvedSpec } from "./types.js";

export interface LoadedSpec {
  spec: ResolvedSpec;
  /** The file's text, as read. */
  source: string;
  /**
   * The spec as written, with overrides applied and expressions evaluated, before defaults: the
   * base to derive compare variants and sweep trials from (deriveTrainSpec).
   */
  raw: Record<string, unknown>;
}

export interface LoadOptions {
  /** `key.path=value` strings, as given to `--set`. */
  overrides?: readonly string[];
  /** Checks of the resolved spec against this machine (e.g. its memory), reported at their keys like any spec issue. */
  checkResolved?: ResolvedCheck;
}

export type ResolvedCheck = (spec: ResolvedSpec) => PathIssue[];

interface AppliedOverride {
  override: ParsedOverride;
  line: number;
  path: SpecPath;
}

function pathText(path: SpecPath): string {
  return path.length === 0 ? "(spec)" : path.join(".");
}

function applyCommandLine(data: Record<string, unknown>, overrides: readonly string[], issues: SpecIssue[]): AppliedOverride[] {
  const applied: AppliedOverride[] = [];
  overrides.forEach((text, index) => {
    const line = index + 1;
    const parsed = parseOverride(text);
    if (!parsed.ok) {
      issues.push({ file: SET_FILE, line, col: parsed.column, path: parsed.path, message: parsed.message });
      return;
    }
    const { override } = parsed;
    const target = resolveKeyPath(override.keyPath, data);
    if (!target.ok) {
      const column = text.indexOf(override.keyPath) + target.column + 1;
      issues.push({ file: SET_FILE, line, col: column, path: pathText(target.path), message: withContext(target.message, ` in --set ${text}`) });
      return;
    }
    setAt(data, target.path, override.value);
    applied.push({ override, line, path: target.path });
  });
  return applied;
}

function locateIssue(issue: PathIssue, file: string, source: YamlSource, applied: readonly AppliedOverride[]): SpecIssue {
  const at = issue.at ?? { path: issue.path, atKey: false };
  const override = [...applied].reverse().find((o) => startsWith(at.path, o.path) || startsWith(issue.path, o.path));
  if (override !== undefined) {
    return {
      file: SET_FILE,
      line: override.line,
      col: override.override.valueColumn,
      path: pathText(issue.path),
      message: withContext(issue.message, ` (--set ${override.override.text})`),
    };
  }
  const { line, col } = source.locate(at.path, at.atKey);
  return { file, line, col, path: pathText(issue.path), message: issue.message };
}

/** Parses, applies `--set` overrides, validates and fills defaults; throws SpecError listing every problem. */
export function loadSpecText(text: string, fileName: string, overrides: readonly string[] = [], checkResolved?: ResolvedCheck): LoadedSpec {
  const source = parseYamlSource(text);
  if (source.problems.length > 0) {
    throw new SpecError(source.problems.map((p) => ({ file: fileName, ...p.position, path: p.path === undefined ? "(yaml)" : pathText(p.path), message: p.message })));
  }
  const overrideIssues: SpecIssue[] = [];
  const data = source.data;
  const applied = data !== null && typeof data === "object" && !Array.isArray(data) ? applyCommandLine(data as Record<string, unknown>, overrides, overrideIssues) : [];
  const checked = checkSpecObject(data);
  const issues = [...checked.issues.map((issue) => locateIssue(issue, fileName, source, applied)), ...overrideIssues];
  if (issues.length > 0) throw new SpecError(issues);
  const raw = checked.value as Record<string, unknown>;
  const spec = resolveSpec(raw as unknown as SpecInput, nameFromFile(fileName));
  const machineIssues = checkResolved?.(spec) ?? [];
  if (machineIssues.length > 0) throw new SpecError(machineIssues.map((issue) => locateIssue(issue, fileName, source, applied)));
  return { spec, source: text, raw };
}

export function loadSpecFile(path: string, options: LoadOptions = {}): LoadedSpec {
  const refuse = (message: string): never => {
    throw new SpecError([{ file: path, line: 0, col: 0, path: "(spec)", message }]);
  };
  const unreadable = (error: unknown): never => {
    const code = errorCode(error);
    return refuse(code === "ENOENT" ? "no such file" : `cannot read the file (${code ?? (error as Error).message})`);
  };
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    return unreadable(error);
  }
  // Checked before reading: a pipe would block the read, a huge file fill the memory.
  if (stat.isDirectory()) refuse("is a folder, not a spec file; give the .yaml file to run");
  if (!stat.isFile()) refuse("is not a regular file (a pipe or device); save the spec to a file");
  if (stat.size > SPEC_LIMITS.bytes) refuse(`is ${stat.size} bytes; a spec is at most ${SPEC_LIMITS.bytes}`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return unreadable(error);
  }
  return loadSpecText(text, path, options.overrides ?? [], options.checkResolved);
}
