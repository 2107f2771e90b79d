import { Worker } from "node:worker_threads";
import { DataError } from "../../data/errors.js";
import type { FromTrialWorker, ToTrialWorker, TrialWorkerData } from "../messages.js";
import { errorLine } from "../records.js";
import type { EpochReport, SegmentJob } from "../segment.js";
import { WORKER_EXEC_ARGV } from "../worker-exec-argv.js";
import { workerFiles } from "../worker-files.js";
import { SegmentQueue, type PendingSegment, type SegmentOutput, type SegmentRunner } from "./executor.js";
import { loadedPlugins } from "../../run/plugins.js";

const RETRY_HINT = "set sweep.parallel: 1 to run the trials in the main thread";

interface Pending extends PendingSegment {
  started: number;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  pending?: Pending;
  error?: string;
}

export interface ThreadRunnerOptions {
  /** At most this many worker threads, each training one segment at a time. */
  size: number;
  specDir: string;
  /** Modules each worker imports first (default: the --plugin modules this thread loaded). */
  plugins?: readonly string[];
  /** Starts one worker (default: the trial-worker entry). */
  start?: (data: TrialWorkerData) => Worker;
}

/**
 * Segments on worker threads, each with the data it loaded once. A worker that dies (uncaught error,
 * process.exit, out of memory) fails its segment with the reason and is replaced; if none can start,
 * every pending segment is rejected. This thread only relays messages, so its event loop stays free.
 */
export class ThreadRunner implements SegmentRunner {
  readonly name: string;
  private readonly slots = new Set<Slot>();
  private readonly queue = new SegmentQueue<Pending>();
  private readonly ready: Promise<string[]>;
  private announce: (layers: string[]) => void = () => undefined;
  private fail: (error: Error) => void = () => undefined;
  private closed = false;

  constructor(private readonly options: ThreadRunnerOptions) {
    this.name = `${options.size} worker thread${options.size === 1 ? "" : "s"}`;
    this.ready = new Promise((resolve, reject) => {
      this.announce = resolve;
      this.fail = reject;
    });
    this.ready.catch(() => undefined);
    this.spawn();
  }

  /** The layer types the workers can build, once the first one has started. */
  layers(): Promise<string[]> {
    return this.ready;
  }

  run(job: SegmentJob, checkpoint: Uint8Array | undefined, onEpoch?: (report: EpochReport) => void): Promise<SegmentOutput> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error("the worker threads were closed"));
      this.queue.push({ job, checkpoint, onEpoch, resolve, reject, started: 0 });
      const busy = [...this.slots].filter((s) => s.pending !== undefined || !s.ready).length;
      if (busy + this.queue.size > this.slots.size && this.slots.size < this.options.size) this.spawn();
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const item of this.queue.drain()) item.reject(new Error("the worker threads were closed"));
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
  }

  private spawn(): void {
    let worker: Worker;
    try {
      const start = this.options.start ?? ((data: TrialWorkerData) => new Worker(workerFiles().trialWorker, { workerData: data, execArgv: WORKER_EXEC_ARGV }));
      worker = start({ specDir: this.options.specDir, plugins: this.options.plugins ?? loadedPlugins() });
    } catch (error) {
      this.giveUp(`cannot start a worker thread: ${errorLine(error)}`);
      return;
    }
    const slot: Slot = { worker, ready: false };
    this.slots.add(slot);
    worker.on("message", (message: FromTrialWorker) => this.onMessage(slot, message));
    worker.on("error", (error) => {
      slot.error ??= errorLine(error);
    });
    worker.on("exit", (code) => this.onExit(slot, code));
  }

  private onMessage(slot: Slot, message: FromTrialWorker): void {
    if (this.closed) return;
    switch (message.type) {
      case "ready":
        slot.ready = true;
        this.announce(message.layers);
        break;
      case "epoch":
        slot.pending?.onEpoch?.(message.report);
        return;
      case "result":
        slot.pending?.resolve(message.output);
        slot.pending = undefined;
        break;
      case "data-error":
        slot.pending?.reject(new DataError(message.problem.file, message.problem.detail));
        slot.pending = undefined;
        break;
    }
    this.dispatch();
  }

  private onExit(slot: Slot, code: number): void {
    this.slots.delete(slot);
    if (this.closed) return;
    const why = slot.error ?? `exited with code ${code}`;
    const lost = slot.pending;
    if (lost !== undefined) {
      const seconds = (performance.now() - lost.started) / 1000;
      lost.resolve({ result: { status: "failed", curve: [], metric: Number.NaN, message: `worker thread crashed: ${why}`, seconds, recomputed: 0 } });
    }
    if (slot.ready) {
      if (this.queue.size > 0) this.spawn();
    } else if (this.slots.size === 0) {
      this.giveUp(`a worker thread could not start: ${why}`);
    }
    this.dispatch();
  }

  private giveUp(reason: string): void {
    const error = new Error(`sweep: ${reason}; ${RETRY_HINT}`);
    this.fail(error);
    for (const item of this.queue.drain()) item.reject(error);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.size === 0) return;
      if (!slot.ready || slot.pending !== undefined) continue;
      const item = this.queue.shift() as Pending;
      slot.pending = item;
      item.started = performance.now();
      const message: ToTrialWorker = item.checkpoint === undefined ? { type: "run", job: item.job } : { type: "run", job: item.job, checkpoint: item.checkpoint };
      slot.worker.postMessage(message);
    }
  }
}
