import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium (.ci/run installs it); GRADSPEC_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.GRADSPEC_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or undefined when Chromium is installed. */
export function browserUnavailable(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (.ci/run installs Debian's chromium); the browser tests skip`;
}

/** Where the browser tests leave their screenshots (git-ignored). */
export const SCREENSHOTS = fileURLToPath(new URL("../output/screenshots/", import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Root cannot use Chromium's sandbox; nothing but our own pages is opened.
  return chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ["--no-sandbox"] : [] });
}

export interface OpenedPage {
  page: Page;
  /** console.error messages and uncaught page errors. */
  errors: string[];
  /** Every URL the page requested, the page itself included. */
  requests: string[];
}

/** Opens `url` and waits until every chart of the report is drawn (or failed). */
export async function openReport(browser: Browser, url: string): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  // A string, evaluated in the page: the tests compile without the DOM's types.
  await page.waitForFunction("document.documentElement.dataset.charts !== undefined", undefined, { timeout: 30_000 });
  return { page, errors, requests };
}

/** The number of SVG items of the named Vega-Lite layer in the named chart of the page. */
export async function markCount(page: Page, chart: string, layer: string): Promise<number> {
  return page.locator(`figure[data-chart-name="${chart}"] g.${layer}_marks > *`).count();
}
