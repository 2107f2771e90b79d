/** A TableData as a real HTML table (readable without JavaScript and in print). */
import type { TableData } from "../table-data.js";
import { escapeHtml } from "./escape.js";

export function htmlTable(table: TableData, attributes: { id?: string; className?: string } = {}): string {
  const align = (i: number): string => ` class="${table.align[i] ?? "left"}"`;
  const head = `<tr>${table.header.map((h, i) => `<th scope="col"${align(i)}>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const body = table.rows.map((r) => `<tr>${r.map((c, i) => `<td${align(i)}>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n");
  const id = attributes.id === undefined ? "" : ` id="${escapeHtml(attributes.id)}"`;
  const className = attributes.className === undefined ? "" : ` class="${escapeHtml(attributes.className)}"`;
  const caption = table.caption === undefined || table.caption === "" ? "" : `<caption>${escapeHtml(table.caption)}</caption>`;
  return `<table${id}${className}>${caption}<thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}
