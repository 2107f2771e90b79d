/** The report page's style sheet: compact on screen, charts kept whole and controls hidden in print. */
export const PAGE_STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 Helvetica, Arial, sans-serif; color: #222; margin: 0 auto; max-width: 1280px; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.meta { color: #555; margin: 0 0 12px; }
.status-completed { color: #2a7d2a; } .status-diverged, .status-failed { color: #c0392b; } .status-running { color: #b36b00; }
nav.toc { font-size: 13px; margin: 8px 0 16px; } nav.toc a { margin-right: 12px; }
figure.chart { margin: 8px 0 16px; break-inside: avoid; page-break-inside: avoid; }
figure.chart figcaption { font-size: 12px; color: #555; margin-top: 2px; }
.chart-row { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; font-variant-numeric: tabular-nums; break-inside: auto; }
caption { caption-side: top; text-align: left; font-size: 12px; color: #555; padding-bottom: 4px; }
th, td { border: 1px solid #d0d0d0; padding: 3px 8px; }
th { background: #f2f2f2; }
td.right, th.right { text-align: right; } td.center, th.center { text-align: center; } td.left, th.left { text-align: left; }
tr { break-inside: avoid; page-break-inside: avoid; }
pre.spec { background: #f7f7f7; border: 1px solid #e0e0e0; padding: 8px 12px; font-size: 12px; overflow-x: auto; white-space: pre-wrap; }
details > summary { cursor: pointer; color: #1f5fa8; margin: 4px 0; }
.live { position: fixed; top: 8px; right: 12px; background: #fff4d6; border: 1px solid #e0c070; padding: 2px 8px; font-size: 12px; border-radius: 3px; }
.noscript { background: #fff4d6; padding: 4px 8px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav.toc, .live, .noscript { display: none; }
  details > summary { display: none; }
  details::details-content { content-visibility: visible; display: contents; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
