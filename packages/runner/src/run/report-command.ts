/** `gradspec report DIR…`: draw a run folder's report again, or compare several runs on one page. */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { writeFileAtomicSync } from "@gradspec/nn";
import { runsPage } from "../report/html/runs-page.js";
import { parseResolvedSpec, readRunFolder } from "./read-run.js";
import { HTML_REPORT, renderRun, writeHtmlReport } from "./render.js";
import { RunFolder } from "./run-folder.js";
import { UsageError } from "./usage-error.js";

export interface ReportRequest {
  dirs: readonly string[];
  /** --html: true (only report.html) or the page to write the comparison of several runs to. */
  html?: string | boolean;
}

/** Returns the lines to print: what was written where. */
export async function reportCommand({ dirs, html }: ReportRequest): Promise<string[]> {
  if (dirs.length > 1) {
    if (typeof html !== "string") throw new UsageError(`gradspec report: ${dirs.length} run folders are compared on one page; say where it goes with --html OUT.html`);
    return [compareRuns(dirs, html)];
  }
  const run = readRunFolder(dirs[0]);
  const folder = new RunFolder(run.path);
  if (typeof html === "string") {
    return [compareRuns(dirs, html)];
  }
  const written = html === true ? [writeHtmlReport(run.summary, folder)] : await renderRun(run.summary, folder);
  return [`${folder.path}: wrote ${written.join(", ")}`];
}

function compareRuns(dirs: readonly string[], out: string): string {
  const runs = dirs.map(readRunFolder);
  const labels = runs.map((r) => basename(r.path));
  const unique = labels.map((l, i) => (labels.indexOf(l) === i && labels.lastIndexOf(l) === i ? l : `${l} (${i + 1})`));
  let target = resolve(out);
  if (existsSync(target) && statSync(target).isDirectory()) target = resolve(target, HTML_REPORT);
  mkdirSync(dirname(target), { recursive: true });
  writeFileAtomicSync(target, runsPage(runs.map((r, i) => ({ label: unique[i], summary: r.summary, spec: parseResolvedSpec(r.specYaml) }))));
  return `${target}: ${runs.length} run(s) compared`;
}
