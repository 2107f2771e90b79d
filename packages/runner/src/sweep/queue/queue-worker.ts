import { hostname } from "node:os";
import { Worker, WaitingError, type Job } from "bullmq";
import { KERNELS_ENV, selectBackend } from "@gradspec/autograd";
import { DataError } from "../../data/errors.js";
import { dataFiles, fingerprintMismatch } from "../../data/fingerprint.js";
import { storedExecutor } from "../executors/executor.js";
import { ThreadRunner } from "../executors/threads.js";
import { errorLine } from "../records.js";
import { encodeResult, QUEUE_NAME, type QueuePayload, type QueueProgress } from "./protocol.js";
import { bullConnection, RedisLink, within, type RedisAddress, type RedisLinkOptions } from "./redis-link.js";
import { redisStates } from "./redis-states.js";

export interface QueueWorkerOptions extends RedisLinkOptions {
  address: RedisAddress;
  /** Trials at once, each on its own worker thread. */
  concurrency: number;
  /** Where a spec's relative data.dir is resolved (the worker's working folder). */
  specDir: string;
  /** A job's lock lasts this long and is renewed at half of it; a dead worker's job is retried after about twice that. */
  stalledSeconds: number;
  log: (line: string) => void;
  /** Aborting stops the worker; its running trials go back to the queue. */
  signal?: AbortSignal;
}

interface Active {
  job: Job<QueuePayload>;
  token: string | undefined;
}

/**
 * `gradspec worker`: takes trial segments from the queue and trains them on worker threads, so this
 * thread's event loop stays free to renew the jobs' locks. A job whose data this machine lacks or has
 * in another version is handed back untouched and the worker stops, saying which file differs.
 * Resolves with the exit code: 0 when stopped by the signal, 1 when it had to stop.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<number> {
  const link = await RedisLink.open(options.address, options);
  // The worker threads pick their kernels the same way (GRADSPEC_KERNELS, else the fastest).
  const ownKernels = selectBackend().name;
  const runner = new ThreadRunner({ size: options.concurrency, specDir: options.specDir });
  try {
    await runner.layers();
  } catch (error) {
    link.close();
    await runner.close();
    throw error;
  }
  const active = new Map<string, Active>();
  let stopping = false;
  let finish: (code: number) => void = () => undefined;
  const stopped = new Promise<number>((resolve) => (finish = resolve));

  const process = async (job: Job<QueuePayload>, token?: string): Promise<string> => {
    const { sweep, job: segment, data, kernels } = job.data;
    if (stopping) return handBack({ job, token });
    let mismatch: string | undefined = kernels !== undefined && kernels !== ownKernels
      ? `this worker computes with the ${ownKernels} kernels, the sweep with ${kernels} (products round differently); start the worker with ${KERNELS_ENV}=${kernels}`
      : undefined;
    try {
      const differs = mismatch === undefined ? fingerprintMismatch(data, dataFiles(segment.spec.data, options.specDir)) : undefined;
      if (differs !== undefined) mismatch = `${differs} (a worker reads CIFAR-10 from --data or GRADSPEC_DATA)`;
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      mismatch = `${error.message} (a worker reads CIFAR-10 from --data or GRADSPEC_DATA)`;
    }
    if (mismatch !== undefined) {
      options.log(`worker: cannot run trial ${segment.id}: ${mismatch}; handing it back and stopping`);
      await job.updateProgress({ refused: `${hostname()}: ${mismatch}` } satisfies QueueProgress).catch(() => undefined);
      void stop(1);
      return handBack({ job, token });
    }
    const entry: Active = { job, token };
    active.set(String(job.id), entry);
    try {
      const executor = storedExecutor(runner, redisStates(link.client, sweep));
      const result = await executor.run(segment, (epoch) => void job.updateProgress({ epoch } satisfies QueueProgress).catch(() => undefined));
      options.log(`worker: trial ${segment.id} of sweep ${sweep}, epochs ${segment.from}→${segment.until}: ${result.status}${result.message === undefined ? "" : ` (${result.message})`} in ${result.seconds.toFixed(1)} s`);
      return encodeResult(result);
    } catch (error) {
      if (stopping) return handBack(entry);
      throw new Error(errorLine(error));
    } finally {
      active.delete(String(job.id));
    }
  };

  const handBack = async ({ job, token }: Active): Promise<never> => {
    await job.moveToWait(token).catch(() => undefined);
    throw new WaitingError();
  };

  const worker = new Worker<QueuePayload, string>(QUEUE_NAME, process, {
    connection: bullConnection(options.address),
    concurrency: options.concurrency,
    lockDuration: options.stalledSeconds * 1000,
    stalledInterval: options.stalledSeconds * 1000,
    maxStalledCount: 1,
    name: `${hostname()}:${globalThis.process.pid}`,
  });
  worker.on("error", () => undefined); // outages are reported once, by the link

  /** Redis gone: nothing can be handed back, so the worker does not wait for its jobs. */
  const stop = async (code: number, redisGone = false): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const running = active.size;
    await runner.close(); // running trials reject, and their processors hand the jobs back
    await within(redisGone ? 2 : 10, worker.close(redisGone).catch(() => undefined));
    await within(2, worker.disconnect().catch(() => undefined));
    link.close();
    if (code === 0) options.log(`worker: stopped${running > 0 ? `; ${running} running trial(s) went back to the queue` : ""}`);
    finish(code);
  };

  options.signal?.addEventListener("abort", () => void stop(0), { once: true });
  void link.lost.then((error) => {
    options.log(`worker: ${error.message}`);
    void stop(1, true);
  });
  await worker.waitUntilReady();
  options.log(`worker: taking trials from ${options.address.url} (${QUEUE_NAME}), ${options.concurrency} at a time; CIFAR-10 from ${globalThis.process.env.GRADSPEC_DATA ?? "each spec's data.dir"}`);
  return stopped;
}
