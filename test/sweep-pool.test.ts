import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import type { TrainSpec } from "@gradspec/runner";
import { ThreadRunner } from "../packages/runner/src/sweep/executors/threads.js";
import type { SegmentJob } from "../packages/runner/src/sweep/segment.js";

// A stand-in trial worker speaking the runner's protocol: trial "exit" calls process.exit, trial
// "throw" throws outside any handler, every other trial "completes" with its index as the metric
// after reporting one epoch, and echoes the checkpoint it was given.
const fakeWorker = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", ({ job, checkpoint }) => {
  if (job.id === "exit") process.exit(3);
  if (job.id === "throw") setTimeout(() => { throw new Error("boom in the worker"); });
  else {
    parentPort.postMessage({ type: "epoch", report: { id: job.id, epoch: 1, epochs: 1, value: job.index } });
    const result = { status: "completed", curve: [job.index], metric: job.index, seconds: 0, recomputed: 0 };
    parentPort.postMessage({ type: "result", output: checkpoint === undefined ? { result } : { result, checkpoint } });
  }
});
parentPort.postMessage({ type: "ready", layers: ["linear"] });
`;

function job(id: string, index: number, from = 0): SegmentJob {
  return { id, stage: 1, index, params: { x: index }, spec: {} as TrainSpec, metric: "validation.accuracy", from, until: from + 1, final: false };
}

const fake = (code: string) => (): Worker => new Worker(code, { eval: true });

describe("ThreadRunner", () => {
  it("a worker that exits or throws fails its segment with the reason; a new worker takes the next ones", async () => {
    const runner = new ThreadRunner({ size: 2, specDir: ".", start: fake(fakeWorker) });
    expect(await runner.layers()).toEqual(["linear"]);
    const jobs = [job("1-0", 0), job("exit", 1), job("1-2", 2), job("throw", 3), job("1-4", 4), job("1-5", 5)];
    const epochs: string[] = [];
    const outputs = await Promise.all(jobs.map((j) => runner.run(j, undefined, (r) => void epochs.push(r.id))));
    await runner.close();
    const byId = new Map(outputs.map((o, i) => [jobs[i].id, o.result]));
    expect(byId.get("exit")).toMatchObject({ status: "failed", message: "worker thread crashed: exited with code 3" });
    expect(byId.get("throw")).toMatchObject({ status: "failed", message: "worker thread crashed: boom in the worker" });
    expect(Number.isNaN(byId.get("throw")?.metric)).toBe(true);
    for (const id of ["1-0", "1-2", "1-4", "1-5"]) expect(byId.get(id)?.status).toBe("completed");
    expect(epochs.sort()).toEqual(["1-0", "1-2", "1-4", "1-5"]);
  });

  it("hands a segment its saved state and takes segments further along first", async () => {
    const runner = new ThreadRunner({ size: 1, specDir: ".", start: fake(fakeWorker) });
    await runner.layers();
    const order: string[] = [];
    const state = new Uint8Array([1, 2, 3]);
    const runs = [runner.run(job("1-0", 0), undefined), runner.run(job("1-1", 1), undefined), runner.run(job("1-2", 2, 3), state)];
    for (const [i, run] of runs.entries()) void run.then(() => order.push(["1-0", "1-1", "1-2"][i]));
    const outputs = await Promise.all(runs);
    await runner.close();
    // 1-0 was sent at once to the idle worker; then the segment from epoch 3 before the new trial.
    expect(order).toEqual(["1-0", "1-2", "1-1"]);
    expect([...(outputs[2].checkpoint ?? [])]).toEqual([1, 2, 3]);
  });

  it("workers that cannot start reject every segment with their error and a way out", async () => {
    const runner = new ThreadRunner({ size: 2, specDir: ".", start: fake(`throw new Error("cannot load the trial code");`) });
    await expect(runner.run(job("1-0", 0), undefined)).rejects.toThrow("sweep: a worker thread could not start: cannot load the trial code; set sweep.parallel: 1 to run the trials in the main thread");
    await expect(runner.layers()).rejects.toThrow(/could not start/);
    await runner.close();
  });
});
