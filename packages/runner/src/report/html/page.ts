/**
 * One self-contained report page: HTML tables and text, and charts as Vega-Lite specs that the inlined
 * vega-embed draws as SVG when the page opens (from disk or from `gradspec serve`, never from a network).
 */
import type { ChartSpec } from "../vega-render.js";
import type { TableData } from "../table-data.js";
import { chartLibraryScript } from "./chart-library.js";
import { escapeHtml, scriptJson } from "./escape.js";
import { htmlTable } from "./html-table.js";
import { PAGE_STYLE } from "./page-style.js";

/** Scripts inline only; fetches only back to the page's own server (the live view); nothing else loads. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'";

/** Draws every chart slot, then marks the document (tests and the live view wait for data-charts). */
const DRAW_CHARTS = `
(async () => {
  const specs = JSON.parse(document.getElementById("gradspec-charts").textContent);
  const slots = [...document.querySelectorAll("[data-chart]")];
  await Promise.all(slots.map((slot) => vegaEmbed(slot, specs[Number(slot.dataset.chart)], { renderer: "svg", actions: false })));
  document.documentElement.dataset.charts = "drawn";
})().catch((error) => {
  document.documentElement.dataset.charts = "failed";
  console.error("gradspec report: a chart could not be drawn:", error);
});
`;

/** Reloads the page when the run folder changes (gradspec serve answers `changes` with a token of its files). */
const followChanges = (token: string): string => `
(() => {
  const token = ${scriptJson(token)};
  setInterval(async () => {
    try {
      const response = await fetch("changes", { cache: "no-store" });
      if (response.ok && (await response.text()) !== token) location.reload();
    } catch { /* the server stopped: keep showing the page */ }
  }, 1000);
})();
`;

export interface LiveView {
  /** What `changes` answers now; the page reloads when the answer differs. */
  token: string;
}

const NO_CHARTS = `<script>document.documentElement.dataset.charts = "drawn";</script>`;

export class ReportPage {
  readonly #parts: string[] = [];
  readonly #charts: ChartSpec[] = [];
  readonly #toc: { id: string; title: string }[] = [];

  constructor(readonly title: string) {}

  /** A section heading that also goes into the table of contents. */
  section(title: string): this {
    const id = `s${this.#toc.length + 1}`;
    this.#toc.push({ id, title });
    this.#parts.push(`<h2 id="${id}">${escapeHtml(title)}</h2>`);
    return this;
  }

  heading(title: string): this {
    this.#parts.push(`<h3>${escapeHtml(title)}</h3>`);
    return this;
  }

  paragraph(text: string, className?: string): this {
    this.#parts.push(`<p${className === undefined ? "" : ` class="${escapeHtml(className)}"`}>${escapeHtml(text)}</p>`);
    return this;
  }

  /** Trusted markup built by the page code (every text in it already escaped). */
  markup(html: string): this {
    this.#parts.push(html);
    return this;
  }

  table(table: TableData, id?: string): this {
    this.#parts.push(htmlTable(table, id === undefined ? {} : { id }));
    return this;
  }

  /** A table folded away behind a one-line summary (open in print). */
  foldedTable(summary: string, table: TableData): this {
    this.#parts.push(`<details><summary>${escapeHtml(summary)}</summary>${htmlTable(table)}</details>`);
    return this;
  }

  /** Charts side by side (wrapping); each is drawn where its slot is. */
  charts(specs: readonly { spec: ChartSpec; name: string; caption?: string }[]): this {
    const figures = specs.map(({ spec, name, caption }) => {
      const index = this.#charts.push(spec) - 1;
      const figcaption = caption === undefined ? "" : `<figcaption>${escapeHtml(caption)}</figcaption>`;
      return `<figure class="chart" data-chart-name="${escapeHtml(name)}"><div data-chart="${index}"></div>${figcaption}</figure>`;
    });
    this.#parts.push(`<div class="chart-row">${figures.join("")}</div>`);
    return this;
  }

  chart(spec: ChartSpec, name: string, caption?: string): this {
    return this.charts([{ spec, name, ...(caption === undefined ? {} : { caption }) }]);
  }

  #chartScripts(): string {
    return `<script type="application/json" id="gradspec-charts">${scriptJson(this.#charts)}</script>
<script>${chartLibraryScript()}</script>
<script>${DRAW_CHARTS}</script>`;
  }

  render(options: { subtitle?: string; live?: LiveView } = {}): string {
    const toc = this.#toc.length < 2 ? "" : `<nav class="toc">${this.#toc.map((t) => `<a href="#${t.id}">${escapeHtml(t.title)}</a>`).join("")}</nav>`;
    const subtitle = options.subtitle === undefined ? "" : `<p class="meta">${options.subtitle}</p>`;
    const live = options.live === undefined ? "" : `<div class="live">live: reloads as trials finish</div>`;
    const follow = options.live === undefined ? "" : `<script>${followChanges(options.live.token)}</script>`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gradspec">
<title>${escapeHtml(this.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
${live}<h1>${escapeHtml(this.title)}</h1>
${subtitle}
<noscript><p class="noscript">The charts need JavaScript; the tables below do not.</p></noscript>
${toc}
${this.#parts.join("\n")}
${this.#charts.length === 0 ? NO_CHARTS : this.#chartScripts()}
${follow}
</body>
</html>
`;
  }
}
