/** Markdown tables and the report they are collected into. */

export type Align = "left" | "right";

/** A Markdown table with padded columns; `align` per column (default: first left, the rest right). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly Align[]): string {
  const alignOf = (i: number): Align => align?.[i] ?? (i === 0 ? "left" : "right");
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const pad = (text: string, i: number): string => (alignOf(i) === "right" ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (cells: readonly string[]): string => `| ${header.map((_, i) => pad(cells[i] ?? "", i)).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (alignOf(i) === "right" ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** Sections printed as they are produced and kept for the file written at the end. */
export class Report {
  private readonly parts: string[] = [];

  /** A heading, then body paragraphs/tables; printed at once. */
  section(title: string, ...body: string[]): void {
    const text = [`## ${title}`, "", ...body.flatMap((b) => [b, ""])].join("\n");
    this.parts.push(text);
    console.log(text);
  }

  /** Free text (a note line) printed and kept. */
  note(text: string): void {
    this.parts.push(text + "\n");
    console.log(text);
  }

  toMarkdown(): string {
    return this.parts.join("\n");
  }
}
