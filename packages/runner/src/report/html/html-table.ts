/** A TableData as a real HTML table (readable without JavaScript and in print). */
import type { TableData } from "../table-data.js";
import { escapeHtml } from "./escape.js";

export interface HtmlTableOptions {
  id?: string;
  className?: string;
  /** The first column's cells become links to these addresses, row by row. */
  firstColumnLinks?: readonly string[];
}

export function htmlTable(table: TableData, attributes: HtmlTableOptions = {}): string {
  const align = (i: number): string => ` class="${table.align[i] ?? "left"}"`;
  const head = `<tr>${table.header.map((h, i) => `<th scope="col"${align(i)}>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const cell = (text: string, row: number, col: number): string => {
    const href = col === 0 ? attributes.firstColumnLinks?.[row] : undefined;
    return href === undefined ? escapeHtml(text) : `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  };
  const body = table.rows.map((r, row) => `<tr>${r.map((c, i) => `<td${align(i)}>${cell(c, row, i)}</td>`).join("")}</tr>`).join("\n");
  const id = attributes.id === undefined ? "" : ` id="${escapeHtml(attributes.id)}"`;
  const className = attributes.className === undefined ? "" : ` class="${escapeHtml(attributes.className)}"`;
  const caption = table.caption === undefined || table.caption === "" ? "" : `<caption>${escapeHtml(table.caption)}</caption>`;
  return `<table${id}${className}>${caption}<thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}
