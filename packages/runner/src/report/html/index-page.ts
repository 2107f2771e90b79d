/** gradspec serve's first page: the run folders it serves, newest state first in each row. */
import { tableData } from "../table-data.js";
import { htmlTable } from "./html-table.js";
import { ReportPage, type LiveView } from "./page.js";

export interface ListedRun {
  href: string;
  folder: string;
  name: string;
  experiment: string;
  status: string;
  /** e.g. "12 trials finished". */
  progress: string;
  modified: string;
}

export function indexPage(root: string, runs: readonly ListedRun[], live: LiveView): string {
  const page = new ReportPage("gradspec runs");
  page.paragraph(`${runs.length} run folder(s) under ${root}.`, "meta");
  if (runs.length > 0) {
    const rows = runs.map((r) => [r.folder, r.name, r.experiment, r.status, r.progress, r.modified]);
    const table = tableData(["Folder", "Name", "Experiment", "Status", "Progress", "Last change"], rows, ["left", "left", "left", "left", "right", "left"]);
    page.markup(htmlTable(table, { id: "runs", firstColumnLinks: runs.map((r) => r.href) }));
  }
  return page.render({ live });
}
