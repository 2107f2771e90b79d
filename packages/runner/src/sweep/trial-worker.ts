/** Worker thread entry: trains the trials the pool sends, one at a time, on data it loads once. */
import { parentPort, workerData } from "node:worker_threads";
import { useBestBackend } from "@gradspec/autograd";
import { registeredLayerTypes } from "@gradspec/nn";
import { DataError } from "../data/errors.js";
import { DataCache } from "../data/data-cache.js";
import type { FromTrialWorker, ToTrialWorker, TrialWorkerData } from "./messages.js";
import { runTrialJob } from "./trial.js";

const port = parentPort;
if (port === null) throw new Error("trial-worker runs only as a worker thread");
const send = (message: FromTrialWorker): void => port.postMessage(message);

useBestBackend();
const data = new DataCache((workerData as TrialWorkerData).specDir);

port.on("message", (message: ToTrialWorker) => {
  try {
    send({ type: "result", record: runTrialJob(message.job, data) });
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    send({ type: "data-error", problem: { file: error.file, detail: error.detail } });
  }
});
send({ type: "ready", layers: registeredLayerTypes() });
