import { registeredLayerTypes } from "@gradspec/nn";
import { DataCache } from "../data/data-cache.js";
import type { RunFolder } from "../run/run-folder.js";
import { storedExecutor, type TrialExecutor } from "./executors/executor.js";
import { folderStates } from "./executors/folder-states.js";
import { inThreadRunner } from "./executors/in-thread.js";
import { ThreadRunner } from "./executors/threads.js";

export interface ExecutorRequest {
  /** Trials at once on this machine; 1 runs them in this thread. */
  parallel: number;
  specDir: string;
  folder: RunFolder;
  log: (line: string) => void;
}

/**
 * Worker threads for parallel > 1; each imports the --plugin modules this thread loaded. Should a
 * worker still lack a layer type this thread has (registered by code, not by a --plugin module),
 * the trials run in this thread instead.
 * Paused trials keep their training state in the run folder.
 */
export async function openLocalExecutor(request: ExecutorRequest): Promise<TrialExecutor> {
  const states = folderStates(request.folder.path);
  const here = (): TrialExecutor => storedExecutor(inThreadRunner(new DataCache(request.specDir)), states);
  if (request.parallel <= 1) return here();
  const runner = new ThreadRunner({ size: request.parallel, specDir: request.specDir });
  let known: Set<string>;
  try {
    known = new Set(await runner.layers());
  } catch (error) {
    await runner.close();
    throw error;
  }
  const missing = registeredLayerTypes().filter((type) => !known.has(type));
  if (missing.length === 0) return storedExecutor(runner, states);
  await runner.close();
  request.log(`layer type(s) ${missing.join(", ")} were registered in this thread but not by a --plugin module, so worker threads do not have them: trials run one at a time in this thread`);
  return here();
}
