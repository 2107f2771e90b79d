import { selectBackend } from "@gradspec/autograd";
import { Job, Queue, QueueEvents } from "bullmq";
import { dataFiles, fingerprintFiles } from "../../data/fingerprint.js";
import type { TrialExecutor } from "../executors/executor.js";
import type { EpochReport, SegmentJob, SegmentResult } from "../segment.js";
import { decodeResult, jobId, jobPriority, KEEP_SECONDS, QUEUE_NAME, stateKey, type QueuePayload, type QueueProgress } from "./protocol.js";
import { redisStates } from "./redis-states.js";
import { bullConnection, QueueError, RedisLink, within, type RedisAddress, type RedisLinkOptions } from "./redis-link.js";

export interface QueueExecutorOptions extends RedisLinkOptions {
  address: RedisAddress;
  /** The sweep's identity, shared by its job ids and saved states. */
  sweep: string;
  /** Where the spec's relative data.dir is resolved, to fingerprint the data the trials need. */
  specDir: string;
  log: (line: string) => void;
  /** How often to say so when jobs wait and no worker is connected (default 30 s). */
  idleReportSeconds?: number;
  /** Attempts per segment when its worker fails it (a crashed thread, broken data): default 2. */
  attempts?: number;
}

interface Waiter {
  resolve: (result: SegmentResult) => void;
  reject: (error: unknown) => void;
  onEpoch: ((report: EpochReport) => void) | undefined;
  /** Adds the job (again, if it vanished from Redis). */
  enqueue: () => Promise<unknown>;
}

/**
 * The controller's side of a BullMQ queue: each segment becomes a job (its id derived from the sweep,
 * trial and epochs), run by `gradspec worker` processes on any machine that reaches the Redis. A job
 * finished while the controller was away is picked up when the controller adds it again.
 */
export class QueueExecutor implements TrialExecutor {
  readonly name: string;
  private readonly waiters = new Map<string, Waiter>();
  private readonly removals = new Set<Promise<unknown>>();
  private readonly idle: NodeJS.Timeout;
  private closed = false;
  /** Set once Redis is gone: every segment asked for from then on fails with it at once. */
  private lost: QueueError | undefined;
  /** The kernels this controller computes with, which every worker must use too. */
  private readonly kernels = selectBackend().name;

  private constructor(
    private readonly options: QueueExecutorOptions,
    private readonly link: RedisLink,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
  ) {
    this.name = `the queue ${options.address.url} (${QUEUE_NAME}; start workers with gradspec worker --queue ${options.address.url})`;
    events.on("completed", ({ jobId: id, returnvalue }) => this.settle(id, () => decodeResult(returnvalue)));
    events.on("failed", ({ jobId: id, failedReason }) => void this.failed(id, failedReason));
    events.on("progress", ({ jobId: id, data }) => this.progress(id, data as QueueProgress));
    void link.lost.then((error) => this.abandon(error));
    this.idle = setInterval(() => void this.checkWaiting(), (options.idleReportSeconds ?? 30) * 1000);
    this.idle.unref();
  }

  static async open(options: QueueExecutorOptions): Promise<QueueExecutor> {
    const link = await RedisLink.open(options.address, options);
    const connection = bullConnection(options.address);
    const queue = new Queue(QUEUE_NAME, { connection });
    // Read the events from the stream's end as it is now, not from whenever the first read happens to
    // run: a job that finishes in between would otherwise never be heard of.
    const [last] = await link.client.xrevrange(`bull:${QUEUE_NAME}:events`, "+", "-", "COUNT", 1);
    const events = new QueueEvents(QUEUE_NAME, { connection, lastEventId: last?.[0] ?? "0-0" });
    queue.on("error", () => undefined); // outages are reported once, by the link
    events.on("error", () => undefined);
    await events.waitUntilReady();
    return new QueueExecutor(options, link, queue, events);
  }

  async run(job: SegmentJob, onEpoch?: (report: EpochReport) => void): Promise<SegmentResult> {
    if (this.closed) throw new QueueError("the queue executor is closed");
    if (this.lost !== undefined) throw this.lost;
    const id = jobId(this.options.sweep, job);
    // The controller's own copy of the data is the reference every worker's copy is checked against.
    const data = fingerprintFiles(dataFiles(job.spec.data, this.options.specDir));
    const { dir: _dir, ...portableData } = job.spec.data as typeof job.spec.data & { dir?: string };
    const payload: QueuePayload = { sweep: this.options.sweep, job: { ...job, spec: { ...job.spec, data: portableData } as SegmentJob["spec"] }, data, kernels: this.kernels };
    const enqueue = (): Promise<unknown> =>
      this.queue.add("segment", payload, {
        jobId: id,
        priority: jobPriority(job),
        attempts: this.options.attempts ?? 2,
        backoff: { type: "fixed", delay: 1000 },
        removeOnComplete: { age: KEEP_SECONDS },
        removeOnFail: { age: KEEP_SECONDS },
      });
    const result = new Promise<SegmentResult>((resolve, reject) => this.waiters.set(id, { resolve, reject, onEpoch, enqueue }));
    // The result settles by an event, by the check below, or when Redis is found gone; never by
    // waiting on a command, which with Redis gone would wait for ever.
    void this.submit(id, enqueue).catch((error: unknown) => this.reject(id, error));
    return result;
  }

  /** Adds the job; one that had already finished (while this controller was away) gets no event, so look. */
  private async submit(id: string, enqueue: () => Promise<unknown>): Promise<void> {
    await enqueue();
    const existing = await Job.fromId(this.queue, id);
    const state = await existing?.getState();
    if (state === "completed") this.settle(id, () => decodeResult(existing?.returnvalue));
    else if (state === "failed") await this.failed(id, existing?.failedReason ?? "failed");
  }

  async discard(id: string, epoch: number): Promise<void> {
    await this.link.client.del(stateKey(this.options.sweep, id, epoch));
  }

  /** The worker saved a final retraining's checkpoint in Redis like a paused trial's state. */
  async takeFinal(id: string, epoch: number): Promise<Uint8Array | undefined> {
    const states = redisStates(this.link.client, this.options.sweep);
    const bytes = await states.read(id, epoch);
    if (bytes !== undefined) await states.remove(id, epoch);
    return bytes;
  }

  /** Takes this sweep's jobs that no worker has started off the queue (a resumed sweep adds them again). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.idle);
    const ids = [...this.waiters.keys()];
    this.waiters.clear();
    await new Promise((resolve) => setImmediate(resolve));
    await within(5, Promise.all(this.removals));
    await within(5, Promise.all(ids.map(async (id) => {
      const job = await Job.fromId(this.queue, id);
      const state = await job?.getState();
      if (state === "waiting" || state === "prioritized" || state === "delayed") await job?.remove();
    })).catch(() => undefined));
    await within(2, Promise.all([this.events.close(), this.queue.close()]).catch(() => undefined));
    await within(2, Promise.all([this.events.disconnect(), this.queue.disconnect()]).catch(() => undefined));
    this.link.close();
  }

  private settle(id: string, result: () => SegmentResult): void {
    const waiter = this.waiters.get(id);
    if (waiter === undefined) return;
    this.waiters.delete(id);
    try {
      waiter.resolve(result());
    } catch (error) {
      waiter.reject(new QueueError(`job ${id}: its result is not readable (${(error as Error).message})`));
      return;
    }
    // After the controller has recorded it (promise callbacks run first): keep Redis small.
    setImmediate(() => {
      const removal = Job.fromId(this.queue, id).then((job) => job?.remove()).catch(() => undefined);
      this.removals.add(removal);
      void removal.finally(() => this.removals.delete(removal));
    });
  }

  /** A job that failed for good (a retry is not a failure): its trial is recorded failed with the reason. */
  private async failed(id: string, reason: string): Promise<void> {
    if (!this.waiters.has(id)) return;
    const state = await Job.fromId(this.queue, id).then((job) => job?.getState()).catch(() => undefined);
    if (state !== "failed") return;
    const stalled = /stalled/.test(reason);
    const message = stalled ? `its worker died or lost its lock too often (${reason}); the queue gave up on it` : `the queue gave up on it after repeated failures: ${reason}`;
    this.settle(id, () => ({ status: "failed", curve: [], metric: Number.NaN, message, seconds: 0, recomputed: 0 }));
  }

  private progress(id: string, data: QueueProgress): void {
    const waiter = this.waiters.get(id);
    if (waiter === undefined || typeof data !== "object" || data === null) return;
    if ("epoch" in data) waiter.onEpoch?.(data.epoch);
    if ("refused" in data) this.options.log(`a worker refused job ${id}: ${data.refused}`);
  }

  private reject(id: string, error: unknown): void {
    const waiter = this.waiters.get(id);
    this.waiters.delete(id);
    waiter?.reject(error instanceof QueueError ? error : new QueueError(`${this.options.address.url}: ${(error as Error).message}`));
  }

  private abandon(error: QueueError): void {
    this.lost = error;
    for (const id of [...this.waiters.keys()]) this.reject(id, error);
  }

  /** Says so when nothing takes the jobs, and adds again any job that is gone from Redis (flushed, evicted). */
  private async checkWaiting(): Promise<void> {
    if (this.waiters.size === 0) return;
    const workers = await this.queue.getWorkersCount().catch(() => undefined);
    if (workers === 0) this.options.log(`${this.waiters.size} segments wait in ${this.options.address.url} and no worker is connected; start one with gradspec worker --queue ${this.options.address.url}`);
    let lost = 0;
    for (const [id, waiter] of [...this.waiters]) {
      const job = await Job.fromId(this.queue, id).catch(() => null);
      if (job !== undefined || !this.waiters.has(id)) continue;
      lost++;
      await waiter.enqueue().catch(() => undefined);
    }
    if (lost > 0) this.options.log(`${lost} segments had gone from ${this.options.address.url} (flushed?) and were added again`);
  }
}
