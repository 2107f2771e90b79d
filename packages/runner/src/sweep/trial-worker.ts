/** Worker thread entry: trains the segments it is sent, one at a time, on data it loads once. */
import { parentPort, workerData } from "node:worker_threads";
import { useBestBackend } from "@gradspec/autograd";
import { registeredLayerTypes } from "@gradspec/nn";
import { DataError } from "../data/errors.js";
import { DataCache } from "../data/data-cache.js";
import type { FromTrialWorker, ToTrialWorker, TrialWorkerData } from "./messages.js";
import { runSegment } from "./segment.js";
import { loadPlugins } from "../run/plugins.js";

const port = parentPort;
if (port === null) throw new Error("trial-worker runs only as a worker thread");
const send = (message: FromTrialWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

useBestBackend();
const { specDir, plugins } = workerData as TrialWorkerData;
// The layer types of --plugin modules, registered here as in the thread that started the sweep.
await loadPlugins(plugins);
const data = new DataCache(specDir);

port.on("message", (message: ToTrialWorker) => {
  try {
    const output = runSegment(message.job, data, message.checkpoint, (report) => send({ type: "epoch", report }));
    const bytes = output.checkpoint;
    // A checkpoint that owns its whole buffer moves to the main thread instead of being copied.
    const movable = bytes !== undefined && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    send({ type: "result", output }, movable ? [bytes.buffer as ArrayBuffer] : []);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    send({ type: "data-error", problem: { file: error.file, detail: error.detail } });
  }
});
send({ type: "ready", layers: registeredLayerTypes() });
