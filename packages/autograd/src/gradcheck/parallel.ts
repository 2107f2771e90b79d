import { availableParallelism } from "node:os";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { valueAndGrad } from "../tape.js";
import { backend } from "../kernels/backend.js";
import { Rng } from "../random.js";
import {
  checkAnalytic,
  compareElements,
  elementOptions,
  elementsToCheck,
  gradcheck,
  reportOf,
  toParameterCheck,
  type GradcheckOptions,
  type GradcheckReport,
} from "../gradcheck.js";
import { loadProblem, moduleUrl, type GradcheckProblemModule } from "./problem.js";
import type { GradcheckAnswer, GradcheckTask, GradcheckWorkerData } from "./serve.js";

export interface ParallelGradcheckOptions extends GradcheckOptions {
  /** Worker threads. Default: the machine's cores. 1 checks in this thread. */
  workers?: number;
}

// Small enough that both workers finish together, large enough that messages cost nothing.
const TASKS_PER_WORKER = 8;
const MIN_TASK_ELEMENTS = 256;

/**
 * `gradcheck` of the problem a module builds, with the elements split over worker threads (mode
 * "all"; "random" runs in this thread). Same report as `gradcheck` on the same problem: the analytic
 * gradients and the choice of sampled elements are made here, only the centered differences move.
 */
export async function gradcheckInWorkers(problem: GradcheckProblemModule, options: ParallelGradcheckOptions = {}): Promise<GradcheckReport> {
  const { f, params } = await loadProblem(problem);
  const workers = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
  const mode = options.mode ?? "all";
  if (workers === 1 || mode === "random") return gradcheck(f, params, options);
  const { grads } = valueAndGrad(f)(params);
  const names = Object.keys(params).filter((n) => options.only === undefined || options.only.includes(n));
  if (names.length === 0) throw new RangeError("gradcheck: no parameters to check");
  const rng = new Rng(options.seed ?? 0);
  const plan = names.map((name) => {
    checkAnalytic(name, params[name], grads[name]);
    return { name, offsets: elementsToCheck(params[name].size, options.sample, rng) };
  });
  const values = Object.fromEntries(Object.entries(params).map(([name, t]) => [name, Float64Array.from(t.data)]));
  const module = moduleUrl(problem.module);
  const entry = engineEntry();
  const tsx = needsTsx(module) || needsTsx(entry) ? tsxApi(module) : undefined;
  const data: GradcheckWorkerData = { problem: { ...problem, module }, values, options: elementOptions(options), kernels: backend().name, entry, ...(tsx === undefined ? {} : { tsx }) };
  const pool = new WorkerPool(workers, data);
  try {
    const numeric = await Promise.all(plan.map(({ name, offsets }) => pool.numeric(name, offsets)));
    const parameters = plan.map(({ name, offsets }, i) =>
      toParameterCheck(name, params[name], compareElements(params[name], grads[name], offsets, () => numeric[i]), options.eps ?? 1e-5, options.errors ?? false),
    );
    return reportOf(mode, options.h ?? 1e-5, options.eps ?? 1e-5, parameters);
  } finally {
    await pool.close();
  }
}

interface Pending {
  task: GradcheckTask;
  resolve: (numeric: Float64Array) => void;
  reject: (error: Error) => void;
}

/** Workers that take tasks from one queue as they finish the last. */
class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<number, Pending>();
  private readonly idle: Worker[] = [];
  private readonly perWorker: number;
  private nextId = 0;
  private failure: Error | null = null;

  constructor(size: number, data: GradcheckWorkerData) {
    this.perWorker = size;
    for (let i = 0; i < size; i++) {
      // No options of this process: `--eval` or a loader flag would stop the worker from starting.
      const worker = new Worker(workerEntry(), { workerData: data, execArgv: [] });
      worker.on("message", (message: GradcheckAnswer | { ready: true }) => this.onMessage(worker, message));
      worker.on("error", (error) => this.fail(new Error(`gradcheck worker failed: ${error.message}`)));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`gradcheck worker exited with code ${code}`));
      });
      this.workers.push(worker);
    }
  }

  /** Numerical derivatives at `offsets` of parameter `name`, split into tasks. */
  numeric(name: string, offsets: Int32Array): Promise<Float64Array> {
    const size = Math.max(MIN_TASK_ELEMENTS, Math.ceil(offsets.length / (this.perWorker * TASKS_PER_WORKER)));
    const parts: Promise<Float64Array>[] = [];
    for (let start = 0; start < offsets.length; start += size) {
      const task = { id: this.nextId++, name, offsets: offsets.slice(start, start + size) };
      parts.push(new Promise((resolve, reject) => this.queue.push({ task, resolve, reject })));
    }
    this.dispatch();
    return Promise.all(parts).then((chunks) => {
      const all = new Float64Array(offsets.length);
      let at = 0;
      for (const chunk of chunks) {
        all.set(chunk, at);
        at += chunk.length;
      }
      return all;
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private onMessage(worker: Worker, message: GradcheckAnswer | { ready: true }): void {
    if ("id" in message) {
      const pending = this.running.get(message.id);
      this.running.delete(message.id);
      if (pending !== undefined) {
        if ("error" in message) this.fail(new Error(message.error));
        else pending.resolve(message.numeric);
      }
    }
    this.idle.push(worker);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.failure === null && this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const pending = this.queue.shift() as Pending;
      this.running.set(pending.task.id, pending);
      worker.postMessage(pending.task);
    }
  }

  private fail(error: Error): void {
    if (this.failure !== null) return;
    this.failure = error;
    for (const p of [...this.queue, ...this.running.values()]) p.reject(error);
    this.queue.length = 0;
    this.running.clear();
  }
}

/** The built worker entry: next to the bundle, or in dist/ when this module runs from the sources. */
function workerEntry(): URL {
  return import.meta.url.endsWith(".ts") ? new URL("../../dist/gradcheck-worker.js", import.meta.url) : new URL("./gradcheck-worker.js", import.meta.url);
}

/** The autograd entry this module belongs to: the sources' index.ts, or the bundle's index.js. */
function engineEntry(): string {
  return new URL(import.meta.url.endsWith(".ts") ? "../index.ts" : "./index.js", import.meta.url).href;
}

function needsTsx(url: string): boolean {
  return /\.[cm]?ts$/.test(new URL(url).pathname);
}

/** tsx's ESM API (its "import" export of tsx/esm/api), found from this module. */
function tsxApi(module: string): string {
  try {
    const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
    const { exports } = JSON.parse(readFileSync(manifest, "utf8")) as { exports: Record<string, { import: { default: string } }> };
    return pathToFileURL(join(dirname(manifest), exports["./esm/api"].import.default)).href;
  } catch {
    throw new Error(`gradcheck: ${module} is TypeScript and tsx is not installed to load it in worker threads; install tsx or give a .js module`);
  }
}
