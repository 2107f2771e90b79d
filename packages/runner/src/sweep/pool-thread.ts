/**
 * Worker thread entry that hosts the TrialPool for a main thread that waits synchronously (runSweep
 * is synchronous): this thread's event loop sees the trial workers' messages, errors and exits and
 * relays each outcome through a MessagePort, bumping a shared counter the main thread waits on.
 * The main thread ends it with terminate(), which also ends its trial workers.
 */
import { Worker, workerData } from "node:worker_threads";
import type { FromPool, PoolThreadData, ToPool } from "./messages.js";
import { TrialPool } from "./pool.js";
import { errorLine } from "./records.js";
import { WORKER_EXEC_ARGV } from "./worker-exec-argv.js";

const { size, warm, specDir, trialWorker, port, signal } = workerData as PoolThreadData;
const counter = new Int32Array(signal);

function send(message: FromPool): void {
  port.postMessage(message);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

process.on("uncaughtException", (error) => send({ type: "fatal", message: `sweep pool thread: ${errorLine(error)}` }));
process.on("exit", (code) => send({ type: "fatal", message: `sweep pool thread exited with code ${code}` }));

const pool = new TrialPool(
  { size, specDir, start: (data) => new Worker(new URL(trialWorker), { workerData: data, execArgv: WORKER_EXEC_ARGV }) },
  {
    ready: (layers) => send({ type: "ready", layers }),
    result: (record) => send({ type: "result", record }),
    dataError: (problem) => send({ type: "data-error", problem }),
    fatal: (message) => send({ type: "fatal", message }),
  },
);

port.on("message", (message: ToPool) => pool.submit(message.jobs));
send({ type: "started" });
pool.warmUp(warm);
