/**
 * gradspec serve: the run folders under a folder as pages on 127.0.0.1. Pages are drawn from the
 * folders at each request, so a running sweep's page shows the trials finished so far, and reloads
 * itself when trials.jsonl or summary.json change. It only reads the folders.
 */
import { existsSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { resolve } from "node:path";
import { indexPage, type ListedRun } from "../report/html/index-page.js";
import { runPage } from "../report/html/run-page.js";
import { UsageError } from "../run/usage-error.js";
import { changeToken, shownRun } from "./live-summary.js";
import { findRuns, type FoundRun } from "./run-discovery.js";

export const HOST = "127.0.0.1";

/** The port could not be had (in use, or not allowed): exit 1 with this line. */
export class ServeError extends Error {
  override readonly name = "ServeError";
}

export interface ServeOptions {
  root: string;
  port: number;
  /** Aborting closes the server; serve then resolves. */
  signal: AbortSignal;
  log: (line: string) => void;
}

export function servedFolder(dir: string): string {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${root}: no such folder; pass the folder that holds your run folders (gradspec serve runs)`);
  return root;
}

export function portNumber(value: string | number): number {
  const n = Number(value);
  if (String(value).trim() === "" || !Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port: expected a port number 0–65535 (0: any free port), got ${JSON.stringify(String(value))}`);
  return n;
}

const runHref = (run: FoundRun): string => `/runs/${run.rel.split("/").map(encodeURIComponent).join("/")}/`;

function listing(runs: readonly FoundRun[]): ListedRun[] {
  return runs.map((run) => {
    let shown;
    try {
      shown = shownRun(run.path);
    } catch (error) {
      return { href: runHref(run), folder: run.rel || ".", name: "?", experiment: "?", status: `unreadable: ${(error as Error).message}`, progress: "", modified: "" };
    }
    const trials = shown.summary.sweep?.stages.reduce((n, s) => n + s.trials.length, 0);
    return {
      href: runHref(run), folder: run.rel || ".", name: shown.summary.name, experiment: shown.summary.experiment, status: shown.summary.status,
      progress: trials === undefined ? "" : `${trials} trials finished`,
      modified: new Date(statSync(run.path).mtimeMs).toISOString().replace("T", " ").slice(0, 19),
    };
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": `${type}; charset=utf-8`, "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(body);
}

function handle(root: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "gradspec serve only reads\n");
  const url = new URL(req.url ?? "/", `http://${HOST}`);
  const runs = findRuns(root);
  if (url.pathname === "/" || url.pathname === "/changes") {
    const token = runs.map((r) => `${r.rel}=${changeToken(r.path)}`).join(";");
    if (url.pathname === "/changes") return send(res, 200, "text/plain", token);
    return send(res, 200, "text/html", indexPage(root, listing(runs), { token }));
  }
  const match = /^\/runs\/(.*?)\/(changes)?$/.exec(url.pathname);
  let rel: string | undefined;
  try {
    rel = match === null ? undefined : match[1].split("/").map(decodeURIComponent).join("/");
  } catch {
    rel = undefined;
  }
  // Only folders the listing found are served: no path from a request reaches the disk.
  const run = runs.find((r) => r.rel === rel);
  if (match === null || run === undefined) {
    const slashless = runs.find((r) => runHref(r) === `${url.pathname}/`);
    if (slashless !== undefined) {
      res.writeHead(301, { location: runHref(slashless) });
      return void res.end();
    }
    return send(res, 404, "text/plain", "no such run folder here; see /\n");
  }
  if (match[2] === "changes") return send(res, 200, "text/plain", changeToken(run.path));
  try {
    const shown = shownRun(run.path);
    const token = changeToken(run.path);
    return send(res, 200, "text/html", runPage({ summary: shown.summary, ...(shown.specYaml === undefined ? {} : { specYaml: shown.specYaml }), ...(shown.live ? { live: { token } } : {}) }));
  } catch (error) {
    return send(res, 500, "text/plain", `${run.path}: ${(error as Error).message}\n`);
  }
}

/** Listens until the signal aborts; resolves with the port it served. */
export async function serve(options: ServeOptions): Promise<number> {
  const server: Server = createServer((req, res) => {
    try {
      handle(options.root, req, res);
    } catch (error) {
      send(res, 500, "text/plain", `${(error as Error).message}\n`);
    }
  });
  const port = await new Promise<number>((done, fail) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const reason = error.code === "EADDRINUSE" ? "is in use" : error.code === "EACCES" ? "is not allowed for this user" : `cannot be opened (${error.message})`;
      fail(new ServeError(`gradspec serve: port ${options.port} on ${HOST} ${reason}; pass another with --port N (0: any free port)`));
    });
    server.listen(options.port, HOST, () => {
      const address = server.address();
      done(typeof address === "object" && address !== null ? address.port : options.port);
    });
  });
  options.log(`serving ${findRuns(options.root).length} run folder(s) under ${options.root} at http://${HOST}:${port}/ (Ctrl-C stops)`);
  if (!options.signal.aborted) await new Promise<void>((done) => options.signal.addEventListener("abort", () => done(), { once: true }));
  await new Promise<void>((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
  options.log("gradspec serve: stopped");
  return port;
}
