/** GitHub-flavoured Markdown table assembly. */

export type Align = "left" | "right" | "center";

const RULE: Readonly<Record<Align, string>> = { left: "---", right: "---:", center: ":---:" };

/** A cell's text with pipes escaped and line breaks flattened, so it cannot break the table. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(escapeCell).join(" | ")} |`;
}

/** The caption as an emphasized paragraph under the table (GFM tables have no caption syntax). */
export function caption(text: string | undefined): string {
  return text === undefined || text === "" ? "" : `\n*${text.replace(/\*/g, "\\*")}*\n`;
}

/** A table; every row must have as many cells as the header. Ends with a newline. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[]): string {
  for (const [i, r] of rows.entries()) {
    if (r.length !== header.length) throw new RangeError(`markdownTable: row ${i} has ${r.length} cells, expected ${header.length}`);
  }
  const rules = header.map((_, i) => RULE[align[i] ?? "left"]);
  return [row(header), `| ${rules.join(" | ")} |`, ...rows.map(row)].join("\n") + "\n";
}
