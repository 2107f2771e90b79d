import type { DataCache } from "../data/data-cache.js";
import type { TrialJob } from "./messages.js";
import { runTrialJob } from "./trial.js";
import type { TrialRecord } from "./trials-log.js";

/** Runs the trials of a stage; whichever way, each trial's result depends only on its job. */
export interface TrialRunner {
  /** Calls `onFinish` once per job, in finishing order, and returns when every job has finished. */
  run(jobs: readonly TrialJob[], onFinish: (record: TrialRecord) => void): void;
  close(): void;
}

/** parallel: 1, one trial after another in this thread. */
export function inProcessRunner(data: DataCache): TrialRunner {
  return {
    run(jobs, onFinish) {
      for (const job of jobs) onFinish(runTrialJob(job, data));
    },
    close() {},
  };
}
