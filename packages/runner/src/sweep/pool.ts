import type { Worker } from "node:worker_threads";
import type { DataProblem, FromTrialWorker, ToTrialWorker, TrialJob, TrialWorkerData } from "./messages.js";
import { errorLine, failedTrial } from "./records.js";
import type { TrialRecord } from "./trials-log.js";

export interface TrialPoolEvents {
  /** The first worker is ready; `layers` are the layer types it can build. */
  ready(layers: string[]): void;
  /** A trial finished, or failed because its worker crashed. In finishing order. */
  result(record: TrialRecord): void;
  dataError(problem: DataProblem): void;
  /** No worker can run: the pool is unusable. */
  fatal(message: string): void;
}

export interface TrialPoolOptions {
  /** At most this many workers. */
  size: number;
  specDir: string;
  /** Starts one trial worker. */
  start: (data: TrialWorkerData) => Worker;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: TrialJob;
  started: number;
  error?: string;
}

/**
 * Worker threads that train queued trials, one trial per worker at a time. A worker that dies
 * (uncaught error, process.exit, out of memory) fails its trial and is replaced.
 */
export class TrialPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: TrialJob[] = [];
  private announced = false;
  private closed = false;

  constructor(
    private readonly options: TrialPoolOptions,
    private readonly events: TrialPoolEvents,
  ) {}

  /** Starts `count` workers ahead of the first jobs (they take a moment to load). */
  warmUp(count: number): void {
    while (this.slots.size < Math.min(count, this.options.size)) {
      if (!this.spawn()) return;
    }
  }

  submit(jobs: readonly TrialJob[]): void {
    this.queue.push(...jobs);
    const busy = [...this.slots].filter((s) => s.job !== undefined).length;
    this.warmUp(busy + this.queue.length);
    this.dispatch();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
  }

  private spawn(): boolean {
    let worker: Worker;
    try {
      worker = this.options.start({ specDir: this.options.specDir });
    } catch (error) {
      this.events.fatal(`cannot start a worker thread: ${errorLine(error)}`);
      return false;
    }
    const slot: Slot = { worker, ready: false, started: 0 };
    this.slots.add(slot);
    worker.on("message", (message: FromTrialWorker) => this.onMessage(slot, message));
    worker.on("error", (error) => {
      slot.error ??= errorLine(error);
    });
    worker.on("exit", (code) => this.onExit(slot, code));
    return true;
  }

  private onMessage(slot: Slot, message: FromTrialWorker): void {
    if (this.closed) return;
    switch (message.type) {
      case "ready":
        slot.ready = true;
        if (!this.announced) {
          this.announced = true;
          this.events.ready(message.layers);
        }
        break;
      case "result":
        slot.job = undefined;
        this.events.result(message.record);
        break;
      case "data-error":
        slot.job = undefined;
        this.events.dataError(message.problem);
        break;
    }
    this.dispatch();
  }

  private onExit(slot: Slot, code: number): void {
    this.slots.delete(slot);
    if (this.closed) return;
    const why = slot.error ?? `exited with code ${code}`;
    if (slot.job !== undefined) {
      this.events.result(failedTrial(slot.job, `worker thread crashed: ${why}`, (performance.now() - slot.started) / 1000));
    }
    if (slot.ready) {
      if (this.queue.length > 0) this.spawn();
    } else if (this.slots.size === 0) this.events.fatal(`a worker thread could not start: ${why}`);
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.job !== undefined) continue;
      const job = this.queue.shift() as TrialJob;
      slot.job = job;
      slot.started = performance.now();
      slot.worker.postMessage({ type: "run", job } satisfies ToTrialWorker);
    }
  }
}
