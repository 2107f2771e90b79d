import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sourceWorkerFiles } from "./source-bundle.js";

/** The entry files of the sweep's worker threads. */
export interface WorkerFiles {
  trialWorker: URL;
}

/**
 * From the build, dist/sweep-*.js sit next to every bundle (tsup.config.ts); from the TypeScript
 * sources (this module is a .ts file), a bundle made on first use.
 */
export function workerFiles(): WorkerFiles {
  if (import.meta.url.endsWith(".ts")) return sourceWorkerFiles();
  const files = { trialWorker: new URL("./sweep-trial-worker.js", import.meta.url) };
  for (const file of Object.values(files)) {
    if (!existsSync(file)) throw new Error(`${fileURLToPath(file)} is missing; rebuild the runner (npm run build)`);
  }
  return files;
}
