import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import type { TrainSpec } from "@gradspec/runner";
import type { TrialJob } from "../packages/runner/src/sweep/messages.js";
import { TrialPool, type TrialPoolEvents } from "../packages/runner/src/sweep/pool.js";
import type { TrialRecord } from "../packages/runner/src/sweep/trials-log.js";

// A stand-in trial worker speaking the pool's protocol: trial "exit" calls process.exit, trial
// "throw" throws outside any handler, every other trial "completes" with its index as the metric.
const fakeWorker = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", ({ job }) => {
  if (job.id === "exit") process.exit(3);
  if (job.id === "throw") setTimeout(() => { throw new Error("boom in the worker"); });
  else parentPort.postMessage({ type: "result", record: { id: job.id, stage: job.stage, index: job.index, params: job.params, status: "completed", metric: job.index, seconds: 0 } });
});
parentPort.postMessage({ type: "ready", layers: ["linear"] });
`;

function job(id: string, index: number): TrialJob {
  return { id, stage: 1, index, params: { x: index }, spec: {} as TrainSpec, metric: "validation.accuracy" };
}

interface Outcome {
  records: TrialRecord[];
  fatal?: string;
  ready: string[][];
}

/** Runs the jobs on a pool of fake workers until each has a result (or the pool gives up). */
async function runPool(code: string, jobs: TrialJob[], size: number): Promise<Outcome> {
  const outcome: Outcome = { records: [], ready: [] };
  let pool: TrialPool | undefined;
  await new Promise<void>((resolve) => {
    const events: TrialPoolEvents = {
      ready: (layers) => void outcome.ready.push(layers),
      result: (record) => {
        outcome.records.push(record);
        if (outcome.records.length === jobs.length) resolve();
      },
      dataError: () => undefined,
      fatal: (message) => {
        outcome.fatal = message;
        resolve();
      },
    };
    pool = new TrialPool({ size, specDir: ".", start: () => new Worker(code, { eval: true }) }, events);
    pool.submit(jobs);
  });
  await pool?.close();
  return outcome;
}

describe("TrialPool", () => {
  it("a worker that exits or throws fails its trial with the reason; a new worker takes the next ones", async () => {
    const jobs = [job("1-0", 0), job("exit", 1), job("1-2", 2), job("throw", 3), job("1-4", 4), job("1-5", 5)];
    const { records, ready, fatal } = await runPool(fakeWorker, jobs, 2);
    expect(fatal).toBeUndefined();
    expect(ready).toEqual([["linear"]]);
    const byId = new Map(records.map((r) => [r.id, r]));
    expect([...byId.keys()].sort()).toEqual(["1-0", "1-2", "1-4", "1-5", "exit", "throw"]);
    expect(byId.get("exit")).toMatchObject({ status: "failed", message: "worker thread crashed: exited with code 3", index: 1, params: { x: 1 } });
    expect(byId.get("throw")).toMatchObject({ status: "failed", message: "worker thread crashed: boom in the worker" });
    expect(Number.isNaN(byId.get("throw")?.metric)).toBe(true);
    for (const id of ["1-0", "1-2", "1-4", "1-5"]) expect(byId.get(id)?.status).toBe("completed");
  });

  it("workers that cannot start make the pool give up with their error", async () => {
    const { fatal, records } = await runPool(`throw new Error("cannot load the trial code");`, [job("1-0", 0)], 2);
    expect(records).toEqual([]);
    expect(fatal).toBe("a worker thread could not start: cannot load the trial code");
  });
});
