/**
 * Entry of a gradient-check worker thread. It imports nothing of autograd itself: it loads the entry
 * the caller runs (with tsx when that or the problem is TypeScript), so that the problem's ops and
 * the checking code share one copy of the engine — the ops consult the check's record through it.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { GradcheckWorkerData, serveGradcheckWorker } from "./serve.js";

const port = parentPort;
if (port === null) throw new Error("gradcheck worker: not started as a worker thread");
const data = workerData as GradcheckWorkerData;
if (data.tsx !== undefined) {
  const tsx = (await import(data.tsx)) as { register: () => unknown };
  tsx.register();
}
const entry = (await import(data.entry)) as { serveGradcheckWorker: typeof serveGradcheckWorker };
await entry.serveGradcheckWorker(port, data);
