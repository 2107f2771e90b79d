import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "@gradspec/autograd";
import { runSpecFile, quietProgress } from "@gradspec/runner";
import { QueueExecutor } from "../packages/runner/src/sweep/queue/queue-executor.js";
import { parseRedisUrl } from "../packages/runner/src/sweep/queue/redis-link.js";
import { sleep, spawnGradspec, trialLines, waitFor, type GradspecProcess } from "./helpers/gradspec-process.js";
import { privateRedis, redisUnavailable, testRedis, type TestRedis } from "./helpers/redis.js";

const unavailable = redisUnavailable();
if (unavailable !== undefined) console.log(`sweep-queue: skipped: ${unavailable}`);

const dir = mkdtempSync(join(tmpdir(), "gradspec-queue-"));

/** A sweep of 12 + 6 trials with successive halving in the first stage; about a second per trial. */
function sweepSpec(name: string, data: string, extra = ""): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `experiment: sweep
${data}
model: { hidden: [128], batchNorm: true }
training: { optimizer: { momentum: 0.9 }, batchSize: 100, seed: 5 }
sweep:
  method: random
  seed: 11
  metric: validation.loss
  parameters:
    training.learningRate: { logUniform: [1e-3, 0.5] }
    training.lambda: { logUniform: [1e-6, 1e-2] }
  stages:
    - { name: coarse, trials: 12, epochs: 4, earlyTerminate: { type: successiveHalving, rungs: [1, 2], reductionFactor: 2 } }
    - { name: fine, trials: 6, epochs: 3 }
${extra}`,
  );
  return file;
}

const SYNTHETIC = "data: { source: synthetic, synthetic: { classes: 5, dim: 300, train: 6000, validation: 400, test: 200, spread: 2, seed: 3 } }";

interface Logged {
  id: string;
  status: string;
  metric: number | string;
  curve: (number | string)[];
  epochs: number;
}

const logged = (out: string): Logged[] => trialLines<Logged>(out);

/** What must be identical between two runs of a sweep: every trial's status, metric and curve. */
function outcomes(out: string): string[] {
  return logged(out)
    .map((t) => JSON.stringify([t.id, t.status, t.metric, t.curve, t.epochs]))
    .sort();
}

const workers: GradspecProcess[] = [];
function worker(url: string, ...args: string[]): GradspecProcess {
  const w = spawnGradspec(["worker", "--queue", url, "--concurrency", "1", "--stalled-seconds", "2", "--redis-timeout", "3", ...args]);
  workers.push(w);
  return w;
}

async function stopAll(): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  workers.length = 0;
}

describe.skipIf(unavailable !== undefined)("sweeps on a BullMQ queue, with real Redis and worker processes", () => {
  let redis: TestRedis;
  let reference: string;

  beforeAll(async () => {
    redis = await testRedis(1);
    reference = join(dir, "reference");
    await runSpecFile(sweepSpec("reference", SYNTHETIC), { out: reference, overrides: ["sweep.parallel=1"], progress: quietProgress });
  }, 120_000);

  afterAll(async () => {
    await stopAll();
    await redis?.stop();
  });

  it("two worker processes give the same trials, bit for bit, as one thread; the queue is left empty", async () => {
    const a = worker(redis.url);
    const b = worker(redis.url);
    const out = join(dir, "queued");
    const controller = spawnGradspec(["run", sweepSpec("queued", SYNTHETIC), "--out", out, "--queue", redis.url, "--quiet"]);
    const { code } = await controller.exited;
    expect(controller.stderr()).toBe("");
    expect(code).toBe(0);
    expect(outcomes(out)).toEqual(outcomes(reference));
    expect(logged(out).filter((t) => t.status === "pruned").length).toBe(9); // 12 → 6 → 3 kept
    const client = new Redis(redis.url);
    const left = (await client.keys("*")).filter((k) => /gradspec:state|bull:gradspec-trials:[0-9a-f]{16}-/.test(k));
    await client.quit();
    expect(left).toEqual([]);
    a.child.kill("SIGTERM");
    b.child.kill("SIGTERM");
    expect((await a.exited).code).toBe(0);
    expect((await b.exited).code).toBe(0);
    const lines = [...a.stderr().trim().split("\n"), ...b.stderr().trim().split("\n")];
    expect(lines.filter((l) => l.startsWith("worker: taking trials from redis://"))).toHaveLength(2);
    expect(lines.filter((l) => l === "worker: stopped")).toHaveLength(2);
    // One line per segment, between them: 12 first segments, 6 + 3 continuations, 6 fine trials.
    expect(lines.filter((l) => /^worker: trial \d+-\d+ of sweep [0-9a-f]{16}, epochs \d+→\d+: (paused|completed) in \d+\.\d s$/.test(l))).toHaveLength(27);
    await stopAll();
  }, 180_000);

  it("a worker SIGKILLed mid-trial, then the controller SIGKILLed and restarted: every trial once, none lost", async () => {
    const a = worker(redis.url);
    worker(redis.url);
    const out = join(dir, "killed");
    const file = sweepSpec("killed", SYNTHETIC);
    const first = spawnGradspec(["run", file, "--out", out, "--queue", redis.url, "--quiet"]);
    const client = new Redis(redis.url);
    // Kill worker A while it holds a job (the job's processed-by field names it).
    const name = async (): Promise<string | undefined> => {
      const active = await client.lrange("bull:gradspec-trials:active", 0, -1);
      for (const id of active) if ((await client.hget(`bull:gradspec-trials:${id}`, "pb"))?.endsWith(`:${a.child.pid}`)) return id;
      return undefined;
    };
    await waitFor("worker A to run a trial", async () => logged(out).length >= 2 && (await name()) !== undefined);
    const lost = await name();
    a.child.kill("SIGKILL");
    await waitFor("two more trials", () => logged(out).length >= 5);
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const before = logged(out).length;
    expect(before).toBeLessThan(18); // 18 trials in all: the restart has work left

    const second = spawnGradspec(["run", file, "--out", out, "--queue", redis.url, "--quiet"]);
    const { code } = await second.exited;
    expect(second.stderr()).toBe("");
    expect(code).toBe(0);
    const ids = logged(out).map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(18);
    expect(outcomes(out)).toEqual(outcomes(reference));
    // The trial worker A was killed in was retried (its job stalled and went back to the queue).
    expect(lost).toBeDefined();
    expect(ids).toContain(lost?.split("-").slice(1, 3).join("-"));
    await client.quit();
    await stopAll();
  }, 240_000);

  it("a worker whose data or kernels differ from the controller's hands the trial back and stops with one line; one with the right data runs it", async () => {
    const [good, other] = [join(dir, "cifar-good"), join(dir, "cifar-other")];
    for (const [folder, seed] of [[good, 1], [other, 2]] as const) writeTinyCifar(folder, seed);
    const data = `data: { source: cifar10, dir: ${JSON.stringify(good)}, train: [data_batch_1], validation: [data_batch_2], test: [], limit: { train: 200, validation: 100 } }`;
    const out = join(dir, "data-check");
    const controller = spawnGradspec(["run", sweepSpec("data-check", data), "--out", out, "--queue", redis.url]);
    // The controller computes with the fastest kernels here (native or wasm), never the plain ones.
    const plain = spawnGradspec(["worker", "--queue", redis.url, "--concurrency", "1", "--data", good], { GRADSPEC_KERNELS: "plain" });
    workers.push(plain);
    expect((await plain.exited).code).toBe(1);
    expect(plain.stderr()).toMatch(/worker: cannot run trial \d+-\d+: this worker computes with the plain kernels, the sweep with (native|wasm) \(products round differently\); start the worker with GRADSPEC_KERNELS=(native|wasm); handing it back and stopping/);
    const wrong = worker(redis.url, "--data", other);
    const { code } = await wrong.exited;
    expect(code).toBe(1);
    const lines = wrong.stderr().trim().split("\n");
    expect(lines[lines.length - 1], `${wrong.stderr()}\n--- controller:\n${controller.stderr()}`).toMatch(new RegExp(`^worker: cannot run trial \\d+-\\d+: ${other}/data_batch_\\d\\.bin: its content differs from the controller's copy \\(sha256 [0-9a-f]{12}… here, [0-9a-f]{12}… there\\) .*handing it back and stopping$`));
    const missing = worker(redis.url, "--data", join(dir, "no-such-folder"));
    expect((await missing.exited).code).toBe(1);
    expect(missing.stderr()).toMatch(/worker: cannot run trial \d+-\d+: .*no-such-folder.*not found/);
    worker(redis.url, "--data", good);
    const done = await controller.exited;
    expect(done.code).toBe(0);
    expect(controller.stderr(), controller.stderr() + "\n---\n" + wrong.stderr()).toMatch(/a worker refused job [0-9a-f]{16}-\d+-\d+-\d+-\d+: .*its content differs/);
    expect(logged(out).length).toBe(18);
    await stopAll();
  }, 180_000);

  it("SIGINT stops the controller at once and takes its waiting trials off the queue; the same command resumes", async () => {
    const out = join(dir, "interrupted");
    const file = sweepSpec("interrupted", SYNTHETIC);
    const first = spawnGradspec(["run", file, "--out", out, "--queue", redis.url, "--quiet"]);
    const client = new Redis(redis.url);
    const waiting = async (): Promise<number> => (await client.zcard("bull:gradspec-trials:prioritized")) + (await client.llen("bull:gradspec-trials:wait"));
    await waitFor("trials waiting in the queue", async () => (await waiting()) > 0);
    const sent = Date.now();
    first.child.kill("SIGINT");
    const { code } = await first.exited;
    expect(code).toBe(130);
    expect(Date.now() - sent).toBeLessThan(8000);
    expect(first.stderr().trim()).toMatch(/^interrupted: \d+ finished trials are recorded in .*trials\.jsonl; run the same command with --out .*interrupted to resume$/);
    expect(await waiting()).toBe(0);
    worker(redis.url);
    const second = spawnGradspec(["run", file, "--out", out, "--queue", redis.url, "--quiet"]);
    expect((await second.exited).code).toBe(0);
    expect(outcomes(out)).toEqual(outcomes(reference));
    await client.quit();
    await stopAll();
  }, 120_000);

  it("a trial whose workers die twice is recorded failed with why; the sweep says how to retry it", async () => {
    const one = `experiment: sweep\n${SYNTHETIC}\nmodel: { hidden: [128], batchNorm: true }\ntraining: { batchSize: 100, seed: 5 }\nsweep:\n  parameters:\n    training.learningRate: { values: [0.05] }\n  stages:\n    - { name: only, trials: 1, epochs: 60 }\n`;
    const file = join(dir, "dies.yaml");
    writeFileSync(file, one);
    const out = join(dir, "dies");
    const controller = spawnGradspec(["run", file, "--out", out, "--queue", redis.url, "--quiet"]);
    const client = new Redis(redis.url);
    const holder = async (): Promise<string | undefined> => {
      const [id] = await client.lrange("bull:gradspec-trials:active", 0, -1);
      return id === undefined ? undefined : ((await client.hget(`bull:gradspec-trials:${id}`, "pb")) ?? undefined);
    };
    for (let death = 0; death < 2; death++) {
      const w = worker(redis.url);
      await waitFor(`worker ${death + 1} to take the trial`, async () => (await holder())?.endsWith(`:${w.child.pid}`) === true);
      w.child.kill("SIGKILL");
      await w.exited;
    }
    worker(redis.url); // its stalled-job check finds the trial's second death
    const { code } = await controller.exited;
    expect(code).toBe(1);
    expect(controller.stdout()).toContain(`1 trial(s) failed; run the same command with --out ${out} to retry them`);
    const [record] = logged(out) as (Logged & { message?: string })[];
    expect(record.status).toBe("failed");
    expect(record.message).toMatch(/^its worker died or lost its lock too often \(.*stalled.*\); the queue gave up on it$/);
    await client.quit();
    await stopAll();
  }, 120_000);

  it("jobs flushed from Redis mid-sweep are added again by the controller; the sweep finishes with the same trials", async () => {
    const out = join(dir, "flushed");
    const file = sweepSpec("flushed", SYNTHETIC);
    const client = new Redis(redis.url);
    const logs: string[] = [];
    const openExecutor = (identity: { hash: string }, specDir: string): Promise<QueueExecutor> =>
      QueueExecutor.open({ address: parseRedisUrl(redis.url), sweep: identity.hash.slice(0, 16), specDir, log: (line) => void logs.push(line), idleReportSeconds: 1 });
    const run = runSpecFile(file, { out, progress: quietProgress, openExecutor });
    await waitFor("trials waiting in the queue", async () => (await client.zcard("bull:gradspec-trials:prioritized")) > 3);
    await client.flushdb();
    worker(redis.url);
    const { summary } = await run;
    expect(summary.status).toBe("completed");
    expect(logs.some((line) => /segments had gone from redis:\/\/.* \(flushed\?\) and were added again/.test(line))).toBe(true);
    expect(outcomes(out)).toEqual(outcomes(reference));
    await client.quit();
    await stopAll();
  }, 120_000);

  it("Redis gone: a segment asked for before the outage is noticed fails when it is, and every one after at once (none waits forever)", async () => {
    const own = await privateRedis();
    const executor = await QueueExecutor.open({ address: parseRedisUrl(own.url), sweep: "0123456789abcdef", specDir: dir, log: () => undefined, outageSeconds: 1 });
    const { loadSpecText, deriveTrainSpec } = await import("@gradspec/runner");
    const { raw } = loadSpecText(`experiment: train\n${SYNTHETIC}\n`, "t.yaml");
    const job = (index: number) => ({ id: `1-${index}`, stage: 1, index, params: {}, spec: deriveTrainSpec(raw, {}, "t"), metric: "validation.loss" as const, from: 0, until: 1, final: false });
    const gone = new RegExp(`^${own.url}: Redis stopped answering`);
    await own.stop();
    const during = executor.run(job(0)); // its add waits on a connection that is not coming back
    await expect(Promise.race([during, sleep(10_000).then(() => "still waiting")])).rejects.toThrow(gone);
    const started = Date.now();
    await expect(executor.run(job(1))).rejects.toThrow(gone);
    expect(Date.now() - started).toBeLessThan(1000);
    await executor.close();
  }, 60_000);

  it("Redis going away ends the controller and the workers with one line each, exit 1, records intact", async () => {
    const own = await privateRedis();
    const w = worker(own.url);
    const out = join(dir, "redis-gone");
    const controller = spawnGradspec(["run", sweepSpec("redis-gone", SYNTHETIC), "--out", out, "--queue", own.url, "--redis-timeout", "2", "--quiet"]);
    await waitFor("two trials", () => logged(out).length >= 2);
    await own.stop();
    const [c, k] = await Promise.all(
      [controller, w].map((p, i) => Promise.race([p.exited, sleep(60_000).then(() => Promise.reject(new Error(`${i === 0 ? "controller" : "worker"} still running 60 s after Redis went away:\n${p.stderr()}`)))])),
    );
    expect(c.code).toBe(1);
    expect(controller.stderr().trim(), controller.stderr()).toMatch(new RegExp(`^${own.url}: Redis stopped answering \\(.*\\); every finished trial is recorded — restart Redis and run the same command again$`));
    expect(k.code).toBe(1);
    // One line says why it stopped (a trial that finished meanwhile may still log its own line).
    expect(w.stderr().trim().split("\n").filter((l) => !l.startsWith("worker: trial ")).pop()).toMatch(/^worker: redis:\/\/.*: Redis stopped answering/);
    const text = readFileSync(join(out, "trials.jsonl"), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(logged(out).length).toBe(text.trim().split("\n").length);
    await stopAll();
  }, 120_000);
});

/** Two tiny CIFAR-10 batches in the official record format (label byte + 3072 pixel bytes). */
function writeTinyCifar(folder: string, seed: number): void {
  const rng = new Rng(seed);
  mkdirSync(folder, { recursive: true });
  for (const batch of ["data_batch_1", "data_batch_2"]) {
    const bytes = new Uint8Array(300 * 3073);
    for (let r = 0; r < 300; r++) {
      bytes[r * 3073] = r % 10;
      for (let j = 1; j < 3073; j++) bytes[r * 3073 + j] = rng.int(256);
    }
    writeFileSync(join(folder, `${batch}.bin`), bytes, { flag: "w" });
  }
}
