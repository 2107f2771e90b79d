import { describe, expect, it } from "vitest";
import { compareChart, historyPanels, lineChart, sweepScatter } from "../packages/runner/src/report/plots.js";
import type { EpochMetrics, SweepTrial } from "../packages/runner/src/report/types.js";

/** Minimal reading of vega's SVG: the texts of a role, the marks of a class, the axes' aria labels. */
const decode = (s: string): string => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");

function texts(svg: string, role: string): string[] {
  const groups = [...svg.matchAll(new RegExp(`<g class="mark-text role-${role}\\b[^"]*"[^>]*>(.*?)</g>`, "g"))];
  return groups.flatMap((g) => [...g[1].matchAll(/<text\b[^>]*?(?:\/>|>(.*?)<\/text>)/g)].map((t) => decode(t[1] ?? "")));
}

/** The <path> elements inside the mark groups of one mark type (lines: one path per series; symbols: one per point). */
function markPaths(svg: string, mark: "line" | "symbol" | "rule"): number {
  const groups = [...svg.matchAll(new RegExp(`<g class="mark-${mark} role-mark\\b[^"]*"[^>]*>(.*?)</g>`, "g"))];
  return groups.reduce((n, g) => n + (g[1].match(/<(path|line)\b/g)?.length ?? 0), 0);
}

const axisLabels = (svg: string): string[] => [...svg.matchAll(/aria-label="([XY]-axis[^"]*)"/g)].map((m) => decode(m[1]));

function expectStandalone(svg: string): void {
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg).toMatch(/^<svg[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svg).toMatch(/<rect width="\d+" height="\d+" fill="white"\/>/);
  expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
}

async function timed<T>(f: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await f();
  expect(performance.now() - start).toBeLessThan(2000);
  return result;
}

const history = (epochs: number, withValidation = true): EpochMetrics[] =>
  Array.from({ length: epochs }, (_, i) => ({
    epoch: i + 1,
    trainLoss: 2 / (i + 1),
    trainCost: 2.1 / (i + 1),
    trainAccuracy: 0.3 + 0.02 * i,
    ...(withValidation ? { validationLoss: 2.2 / (i + 1), validationCost: 2.3 / (i + 1), validationAccuracy: 0.28 + 0.015 * i } : {}),
  }));

describe("lineChart", () => {
  it("draws one line per series with title, axis titles and legend", async () => {
    const svg = await timed(() =>
      lineChart({
        title: "Training vs validation loss",
        xLabel: "Epoch",
        yLabel: "Loss",
        series: [
          { name: "training", points: [{ x: 1, y: 2 }, { x: 2, y: 1.5 }, { x: 3, y: 1.2 }] },
          { name: "validation <held out>", points: [{ x: 1, y: 2.1 }, { x: 2, y: 1.8 }, { x: 3, y: NaN }] },
        ],
      }),
    );
    expectStandalone(svg);
    expect(texts(svg, "title-text")).toEqual(["Training vs validation loss"]);
    expect(texts(svg, "axis-title")).toEqual(["Epoch", "Loss"]);
    expect(texts(svg, "legend-label")).toEqual(["training", "validation <held out>"]);
    expect(markPaths(svg, "line")).toBe(2);
    expect(markPaths(svg, "symbol")).toBe(5); // the NaN point is left out
    expect(axisLabels(svg).join("\n")).toMatch(/Y-axis titled 'Loss' for a linear scale/);
  });

  it("uses a log y axis when asked, dropping values ≤ 0", async () => {
    const svg = await timed(() =>
      lineChart({
        title: "Loss",
        xLabel: "Epoch",
        yLabel: "Loss",
        yScale: "log",
        series: [{ name: "train", points: [{ x: 0, y: 0 }, { x: 1, y: 1e-3 }, { x: 2, y: 1e-1 }, { x: 3, y: 10 }] }],
      }),
    );
    expect(axisLabels(svg).join("\n")).toMatch(/Y-axis titled 'Loss' for a log scale/);
    expect(markPaths(svg, "symbol")).toBe(3);
    const yLabels = texts(svg, "axis-label").filter((t) => t !== "");
    expect(yLabels).toEqual(expect.arrayContaining(["0.001", "0.01", "0.1", "1", "10"]));
  });
});

describe("historyPanels", () => {
  it("puts loss, cost and accuracy side by side, train vs validation", async () => {
    const svg = await timed(() => historyPanels(history(5), { title: "3-layer network" }));
    expectStandalone(svg);
    expect(texts(svg, "title-text")).toEqual(["3-layer network"]);
    expect(texts(svg, "mark")).toEqual(["Loss", "Cost", "Accuracy"]); // panel titles
    expect(texts(svg, "axis-title")).toEqual(["Epoch", "Loss", "Epoch", "Cost", "Epoch", "Accuracy"]);
    expect(texts(svg, "legend-label")).toEqual(["train", "validation"]);
    expect(markPaths(svg, "line")).toBe(6);
    expect(markPaths(svg, "symbol")).toBe(30);
    expect(texts(svg, "axis-label")).toContain("30%");
  });

  it("shows only the training curve when there is no validation data (the report's Figure 1)", async () => {
    const svg = await timed(() => historyPanels(history(4, false), { metrics: ["loss", "accuracy"], yScale: "log" }));
    expect(texts(svg, "mark")).toEqual(["Loss", "Accuracy"]);
    expect(texts(svg, "legend-label")).toEqual(["train"]);
    expect(markPaths(svg, "line")).toBe(2);
    const axes = axisLabels(svg).join("\n");
    expect(axes).toMatch(/Y-axis titled 'Loss' for a log scale/);
    expect(axes).toMatch(/Y-axis titled 'Accuracy' for a linear scale/);
  });

  it("renders an empty history without failing", async () => {
    const svg = await timed(() => historyPanels([]));
    expectStandalone(svg);
    expect(markPaths(svg, "symbol")).toBe(0);
  });
});

describe("compareChart", () => {
  it("draws variants side by side and marks where one diverged", async () => {
    const diverged = history(2).map((h, i) => (i === 1 ? { ...h, trainLoss: NaN, validationLoss: NaN } : h));
    const svg = await timed(() =>
      compareChart(
        [
          { name: "Batch normalization", history: history(6) },
          { name: "No batch normalization", history: diverged, diverged: { epoch: 2, batch: 37 } },
        ],
        "loss",
      ),
    );
    expectStandalone(svg);
    expect(texts(svg, "title-text")).toEqual(["Loss"]);
    expect(texts(svg, "mark")).toEqual(["Batch normalization", "No batch normalization", "diverged at epoch 2, batch 37"]);
    expect(texts(svg, "axis-title")).toEqual(["Epoch", "Loss", "Epoch", "Loss"]);
    expect(texts(svg, "legend-label")).toEqual(["train", "validation"]);
    expect(markPaths(svg, "line")).toBe(4);
    expect(markPaths(svg, "symbol")).toBe(12 + 2);
    expect(markPaths(svg, "rule")).toBe(1);
  });

  it("keeps a panel for a variant that diverged before finishing an epoch", async () => {
    const svg = await timed(() =>
      compareChart([{ name: "A", history: history(3) }, { name: "B", history: [], diverged: { epoch: 1, batch: 5 } }], "accuracy"),
    );
    expect(texts(svg, "mark")).toEqual(["A", "B", "diverged at epoch 1, batch 5"]);
    expect(markPaths(svg, "rule")).toBe(1);
  });
});

describe("sweepScatter", () => {
  const trials: SweepTrial[] = [
    { params: { eta: 0.001, lambda: 1e-6 }, metric: 0.35, status: "ok" },
    { params: { eta: 0.03, lambda: 1e-5 }, metric: 0.42, status: "ok" },
    { params: { eta: 0.1, lambda: 1e-4 }, metric: 0.4, status: "ok" },
    { params: { eta: 0.5, lambda: 1e-3 }, metric: 0.38, status: "ok" },
    { params: { eta: 0.8, lambda: 1e-5 }, metric: NaN, status: "diverged" },
    { params: { eta: 0.02 }, metric: 0.3, status: "ok" }, // no λ: left out
  ];

  it("plots every trial on log axes coloured by the metric, failures apart, the best ringed", async () => {
    const svg = await timed(() => sweepScatter(trials, "eta", "lambda", "Validation accuracy"));
    expectStandalone(svg);
    expect(texts(svg, "title-text")).toEqual(["Validation accuracy over η and λ"]);
    expect(texts(svg, "axis-title")).toEqual(["η", "λ"]);
    expect(texts(svg, "legend-title")).toEqual(["Validation accuracy", "not ranked"]);
    expect(texts(svg, "legend-label")).toContain("diverged");
    expect(markPaths(svg, "symbol")).toBe(4 + 1 + 1);
    const axes = axisLabels(svg).join("\n");
    expect(axes).toMatch(/X-axis titled 'η' for a log scale/);
    expect(axes).toMatch(/Y-axis titled 'λ' for a log scale/);
    expect(texts(svg, "axis-label")).toEqual(expect.arrayContaining(["0.001", "0.01", "0.1", "1e-6", "1e-5", "1e-4"]));
  });

  it("falls back to linear axes for values ≤ 0", async () => {
    const svg = await timed(() => sweepScatter([{ params: { a: 0, b: 1 }, metric: 0.5, status: "ok" }], "a", "b", "acc", { highlightBest: false }));
    const axes = axisLabels(svg).join("\n");
    expect(axes).toMatch(/X-axis titled 'a' for a linear scale/);
    expect(axes).toMatch(/Y-axis titled 'b' for a log scale/);
    expect(markPaths(svg, "symbol")).toBe(1);
  });
});
