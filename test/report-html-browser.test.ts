import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { main, type RunSummary } from "@gradspec/runner";
import { browserUnavailable, launchBrowser, markCount, openReport, SCREENSHOTS, type OpenedPage } from "./helpers/browser.js";
import { spawnGradspec, trialLines, waitFor } from "./helpers/gradspec-process.js";
import { PRUNED_SWEEP_SECTION, SYNTHETIC_SECTIONS } from "./helpers/synthetic-spec.js";

/**
 * report.html of every experiment kind, the comparison of runs and gradspec serve, opened in Debian's
 * Chromium: no console error, no request but the page itself, and as many SVG marks as the run implies.
 */
const unavailable = browserUnavailable();
if (unavailable !== undefined) console.warn(`report-html-browser: ${unavailable}`);

const dir = mkdtempSync(join(tmpdir(), "gradspec-html-"));
const EPOCHS = 3;

const specs: Record<string, string> = {
  train: `name: html-train\nexperiment: train\n${SYNTHETIC_SECTIONS}`,
  "train-fast": `name: html-train-fast\nexperiment: train\n${SYNTHETIC_SECTIONS.replace("learningRate: 0.05", "learningRate: 0.2")}`,
  compare: `name: html-compare\nexperiment: compare\n${SYNTHETIC_SECTIONS}compare:\n  variants:\n    - { name: no BN, set: { model.batchNorm: false } }\n    - { name: BN, set: { model.batchNorm: true } }\n`,
  gradcheck: `name: html-gradcheck\nexperiment: gradcheck\n${SYNTHETIC_SECTIONS}gradcheck: { batch: 10, lambdas: [0, 0.01], mode: all }\n`,
  // Appended lines stay inside the sweep mapping.
  sweep: `name: html-sweep\nexperiment: sweep\n${SYNTHETIC_SECTIONS}${PRUNED_SWEEP_SECTION}  parallel: 1\n`,
};

const out = (kind: string): string => join(dir, "runs", kind);
const summaryOf = (kind: string): RunSummary => JSON.parse(readFileSync(join(out(kind), "summary.json"), "utf8")) as RunSummary;
const comparison = join(dir, "compare-runs.html");

async function gradspec(args: string[]): Promise<number> {
  let err = "";
  const code = await main(args, { out: () => undefined, err: (t) => void (err += t) });
  if (code !== 0) throw new Error(`gradspec ${args.join(" ")}: exit ${code}: ${err}`);
  return code;
}

let browser: Browser | undefined;

beforeAll(async () => {
  for (const [kind, text] of Object.entries(specs)) {
    const file = join(dir, `${kind}.yaml`);
    writeFileSync(file, text);
    await gradspec(["run", file, "--out", out(kind), "--quiet"]);
  }
  await gradspec(["report", out("train"), out("train-fast"), out("compare"), "--html", comparison]);
  if (unavailable === undefined) browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens a page, checks it drew with no error and no request but itself, and keeps a screenshot. */
async function opened(url: string, screenshot: string): Promise<OpenedPage> {
  const report = await openReport(browser as Browser, url);
  expect(await report.page.evaluate("document.documentElement.dataset.charts")).toBe("drawn");
  expect(report.errors).toEqual([]);
  expect(report.requests.filter((r) => r !== url)).toEqual([]);
  await report.page.screenshot({ path: join(SCREENSHOTS, `${screenshot}.png`), fullPage: true });
  return report;
}

const fileUrl = (kind: string): string => pathToFileURL(join(out(kind), "report.html")).href;
const count = (page: Page, selector: string): Promise<number> => page.locator(selector).count();

describe.skipIf(unavailable !== undefined)("report.html in Chromium", () => {
  it("train: curves per split and epoch, the learning rate per epoch, a cell per pair of classes", async () => {
    const { page } = await opened(fileUrl("train"), "train");
    // 3 panels (loss, cost, accuracy) × 2 splits, each a point at epochs 0 … EPOCHS.
    expect(await count(page, 'figure[data-chart-name="train-history"] g.mark-line.role-mark path')).toBe(6);
    expect(await count(page, 'figure[data-chart-name="train-history"] g.mark-symbol.role-mark path')).toBe(6 * (EPOCHS + 1));
    expect(await count(page, 'figure[data-chart-name="train-learning-rate"] g.mark-symbol.role-mark path')).toBe(EPOCHS);
    const confusion = summaryOf("train").train?.final.test?.confusion ?? [];
    expect(confusion.length).toBe(3);
    expect(await markCount(page, "train-confusion", "cells")).toBe(9);
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(30);
    // The tables are HTML: the final test accuracy is there as text.
    const test = summaryOf("train").train?.final.test?.accuracy ?? Number.NaN;
    expect(await page.locator("table tbody tr", { hasText: "test" }).first().innerText()).toContain((100 * test).toFixed(2));
  });

  it("compare: both variants overlaid, train and validation each, on one chart per metric", async () => {
    const { page } = await opened(fileUrl("compare"), "compare");
    for (const metric of ["loss", "cost", "accuracy"]) {
      expect(await count(page, `figure[data-chart-name="overlay-${metric}"] g.histories_marks path`)).toBe(4);
      expect(await count(page, `figure[data-chart-name="overlay-${metric}"] g.mark-symbol.role-mark path`)).toBe(4 * (EPOCHS + 1));
    }
    expect(await count(page, 'figure[data-chart-name="panels-loss"] g.mark-line.role-mark path')).toBe(4);
  });

  it("gradcheck: a table row per parameter, a bar per filled bin, a heatmap cell per element of each matrix", async () => {
    const { page } = await opened(fileUrl("gradcheck"), "gradcheck");
    const cases = summaryOf("gradcheck").gradcheck?.cases ?? [];
    expect(cases.length).toBe(2);
    for (const [ci, c] of cases.entries()) {
      expect(c.errors?.map((e) => e.name)).toEqual(c.parameters.map((p) => p.name));
      for (const d of c.errors ?? []) {
        const check = c.parameters.find((p) => p.name === d.name);
        expect(d.histogram.counts.reduce((a, b) => a + b, 0) + d.histogram.zeros).toBe(check?.count);
        expect(await markCount(page, `gradcheck-${ci + 1}-${d.name}-histogram`, "bins")).toBe(d.histogram.counts.filter((n) => n > 0).length);
        if (check?.shape.length === 2) {
          expect(await markCount(page, `gradcheck-${ci + 1}-${d.name}-heatmap`, "cells")).toBe(check.shape[0] * check.shape[1]);
        }
      }
    }
    expect(await count(page, 'figure[data-chart-name$="-heatmap"]')).toBe(2 * 2); // W1 and W2, for each λ
  });

  it("sweep: a point per finished trial, a curve per trial, the pruned ones marked; hovering shows the trial's values from trials.jsonl", async () => {
    const { page } = await opened(fileUrl("sweep"), "sweep");
    const records = trialLines<{ id: string; stage: number; status: string; metric: number | string; epochs: number; params: Record<string, number> }>(out("sweep"));
    for (const stage of [1, 2]) {
      const mine = records.filter((r) => r.stage === stage);
      const pruned = mine.filter((r) => r.status === "pruned").length;
      const completed = mine.filter((r) => r.status === "completed").length;
      expect(completed + pruned).toBe(mine.length);
      expect(await markCount(page, `stage-${stage}-scatter`, "trials")).toBe(completed);
      expect(await markCount(page, `stage-${stage}-scatter`, "pruned")).toBe(pruned);
      expect(await count(page, `figure[data-chart-name="stage-${stage}-curves"] g.curves_marks path`)).toBe(mine.length);
      expect(await markCount(page, `stage-${stage}-curves`, "pruned_ends")).toBe(pruned);
      expect(await count(page, `figure[data-chart-name="stage-${stage}-parallel"] g.trials_marks path`)).toBe(mine.length);
    }
    expect(await markCount(page, "stage-1-scatter", "next_ranges")).toBe(1);
    expect(await page.locator("table", { hasText: "successive halving" }).count()).toBe(2);
    expect(await count(page, 'figure[data-chart-name="final-1-history"] g.mark-line.role-mark path')).toBe(6);

    const point = page.locator('figure[data-chart-name="stage-1-scatter"] g.trials_marks > path').first();
    await point.hover();
    const tooltip = page.locator("#vg-tooltip-element");
    await tooltip.waitFor({ state: "visible" });
    const text = await tooltip.innerText();
    const id = /trial\s+(\d+-\d+)/.exec(text)?.[1];
    const record = records.find((r) => r.id === id);
    expect(record?.status).toBe("completed");
    for (const value of [record?.metric, record?.epochs, ...Object.values(record?.params ?? {})]) expect(text).toContain(String(value));
    await page.screenshot({ path: join(SCREENSHOTS, "sweep-tooltip.png") });
  });

  it("without JavaScript the tables are all there; in print the folded ones open and the navigation goes", async () => {
    const context = await (browser as Browser).newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(fileUrl("sweep"));
    const stageOne = trialLines(out("sweep")).filter((r) => r.id.startsWith("1-")).length;
    const allTrials = page.locator("details", { hasText: "All 8 trials of stage 1" }).locator("tbody tr");
    expect(await allTrials.count()).toBe(stageOne);
    expect(await page.locator(".noscript").isVisible()).toBe(true);
    expect(await page.locator("figure svg").count()).toBe(0);
    expect(await allTrials.first().isVisible()).toBe(false);
    await page.emulateMedia({ media: "print" });
    expect(await allTrials.first().isVisible()).toBe(true);
    expect(await page.locator("nav.toc").isVisible()).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, "sweep-print-no-js.png"), fullPage: true });
    await context.close();
  });

  it("several runs: every history overlaid on shared axes, and the spec keys that differ", async () => {
    const { page } = await opened(pathToFileURL(comparison).href, "compare-runs");
    // train, train-fast and the two variants of compare, train and validation each.
    expect(await count(page, 'figure[data-chart-name="overlay-loss"] g.histories_marks path')).toBe(8);
    const differences = page.locator("#spec-differences tbody tr");
    const keys = await differences.locator("td:first-child").allInnerTexts();
    expect(keys).toContain("training.learningRate");
    expect(keys).toContain("experiment");
    expect(await differences.filter({ hasText: "training.learningRate" }).innerText()).toMatch(/0\.05\s+0\.2\s+0\.05/);
  });

  it("gradspec serve lists the runs and shows a trial appended to a running sweep within a few seconds; Ctrl-C stops it", async () => {
    // A sweep caught in the middle: its folder without summary.json and the last stage-1 trial, locked by a live process (this one).
    const root = join(dir, "served");
    const live = join(root, "sweep");
    mkdirSync(live, { recursive: true });
    for (const name of readdirSync(out("sweep"))) if (name === "spec.resolved.yaml" || name === "trials.jsonl") copyFileSync(join(out("sweep"), name), join(live, name));
    const lines = readFileSync(join(live, "trials.jsonl"), "utf8").split("\n").filter((l) => l !== "");
    const stageOne = lines.filter((l) => (JSON.parse(l) as { stage: number }).stage === 1);
    const held = stageOne[stageOne.length - 1];
    writeFileSync(join(live, "trials.jsonl"), `${stageOne.slice(0, -1).join("\n")}\n`);
    writeFileSync(join(live, ".lock"), `${process.pid}\n`);

    const server = spawnGradspec(["serve", root, "--port", "0"]);
    try {
      await waitFor("gradspec serve to listen", () => /127\.0\.0\.1:\d+/.test(server.stdout()), 30);
      const base = /http:\/\/127\.0\.0\.1:\d+\//.exec(server.stdout())?.[0] as string;
      const index = await openReport(browser as Browser, base);
      expect(await index.page.locator("#runs tbody tr").count()).toBe(1);
      expect(await index.page.locator("#runs tbody tr").innerText()).toContain("running");
      await index.page.screenshot({ path: join(SCREENSHOTS, "serve-index.png") });
      await index.page.close();

      const url = `${base}runs/sweep/`;
      const { page, errors, requests } = await openReport(browser as Browser, url);
      const shown = async (): Promise<number> => {
        try {
          return (await markCount(page, "stage-1-scatter", "trials")) + (await markCount(page, "stage-1-scatter", "pruned"));
        } catch {
          return -1; // reloading
        }
      };
      expect(await shown()).toBe(stageOne.length - 1);
      expect(await page.locator(".live").count()).toBe(1);
      await page.screenshot({ path: join(SCREENSHOTS, "serve-live.png"), fullPage: true });
      const appended = Date.now();
      appendFileSync(join(live, "trials.jsonl"), `${held}\n`);
      await waitFor("the appended trial on the page", async () => (await shown()) === stageOne.length, 8);
      expect(Date.now() - appended).toBeLessThan(8000);
      expect(errors).toEqual([]);
      expect(requests.every((r) => r === url || r === `${url}changes`)).toBe(true);
      await page.close();
    } finally {
      server.child.kill("SIGINT");
    }
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    expect(server.stdout()).toContain("stopped");
    expect(server.stderr()).toBe("");
    rmSync(join(live, ".lock"));
  }, 60_000);
});
