/** A table as cells, before it is written out as Markdown (tables.md) or HTML (report.html). */
import { caption as captionLine, markdownTable, type Align } from "./markdown.js";

export interface TableData {
  header: readonly string[];
  rows: readonly (readonly string[])[];
  align: readonly Align[];
  caption?: string;
}

export function tableData(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[], caption?: string): TableData {
  return caption === undefined ? { header, rows, align } : { header, rows, align, caption };
}

/** The table as GitHub-flavoured Markdown, its caption as an emphasized line under it. */
export function markdownOf(table: TableData): string {
  return markdownTable(table.header, table.rows, table.align) + captionLine(table.caption);
}
