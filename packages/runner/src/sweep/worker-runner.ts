import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { DataError } from "../data/errors.js";
import type { FromPool, PoolThreadData, ToPool, TrialJob } from "./messages.js";
import type { TrialRunner } from "./trial-runner.js";
import type { TrialRecord } from "./trials-log.js";
import { WORKER_EXEC_ARGV } from "./worker-exec-argv.js";
import { workerFiles } from "./worker-files.js";

const STARTUP_SECONDS = 30;
const RETRY_HINT = "set sweep.parallel: 1 to run the trials in the main thread";

/**
 * Trials on worker threads, driven from a synchronous caller: a pool thread owns the workers and
 * relays their results; this thread blocks on a shared counter between results (Atomics.wait is
 * allowed on Node's main thread). Nothing else needs this thread's event loop meanwhile.
 */
export class WorkerTrialRunner implements TrialRunner {
  private closed = false;

  private constructor(
    private readonly thread: Worker,
    private readonly port: MessagePort,
    private readonly counter: Int32Array,
  ) {}

  /** Starts the pool thread and `warm` of at most `size` trial workers; returns once the pool thread runs. */
  static start(size: number, warm: number, specDir: string): WorkerTrialRunner {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const files = workerFiles();
    const data: PoolThreadData = { size, warm, specDir, trialWorker: files.trialWorker.href, port: port2, signal };
    const thread = new Worker(files.poolThread, { workerData: data, transferList: [port2], execArgv: WORKER_EXEC_ARGV });
    thread.unref();
    const runner = new WorkerTrialRunner(thread, port1, new Int32Array(signal));
    const first = runner.next(STARTUP_SECONDS * 1000);
    if (first?.type !== "started") {
      runner.close();
      throw new Error(`sweep: the worker threads did not start within ${STARTUP_SECONDS} s; ${RETRY_HINT}`);
    }
    return runner;
  }

  /** Waits for the first trial worker; returns the layer types workers can build. */
  layers(): string[] {
    for (;;) {
      const message = this.expect();
      if (message.type === "ready") return message.layers;
    }
  }

  run(jobs: readonly TrialJob[], onFinish: (record: TrialRecord) => void): void {
    if (jobs.length === 0) return;
    this.port.postMessage({ type: "run", jobs: [...jobs] } satisfies ToPool);
    for (let left = jobs.length; left > 0; ) {
      const message = this.expect();
      if (message.type === "result") {
        left--;
        onFinish(message.record);
      }
    }
  }

  /** Ends the pool thread, which ends its trial workers (finished trials are already logged). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.thread.terminate();
  }

  /** The next message, turning pool failures into errors. */
  private expect(): Exclude<FromPool, { type: "fatal" | "data-error" }> {
    const message = this.next(Number.POSITIVE_INFINITY) as FromPool;
    if (message.type === "fatal") throw new Error(`sweep: ${message.message}; ${RETRY_HINT}`);
    if (message.type === "data-error") throw new DataError(message.problem.file, message.problem.detail);
    return message;
  }

  private next(timeoutMs: number): FromPool | undefined {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      // Read the counter before looking: a message posted after the look changes it, so wait returns.
      const seen = Atomics.load(this.counter, 0);
      const received = receiveMessageOnPort(this.port);
      if (received !== undefined) return received.message as FromPool;
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      Atomics.wait(this.counter, 0, seen, left);
    }
  }
}
