import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main, type RunSummary } from "@gradspec/runner";
import { capture } from "./helpers/capture.js";
import { spawnGradspec, type GradspecProcess } from "./helpers/gradspec-process.js";
import { redisUnavailable, testRedis, type TestRedis } from "./helpers/redis.js";
import { SYNTHETIC_SECTIONS } from "./helpers/synthetic-spec.js";

const unavailable = redisUnavailable();
if (unavailable !== undefined) console.log(`sweep-queue-finals: skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)("a sweep's final retrainings on a queue worker", () => {
  let redis: TestRedis;
  let worker: GradspecProcess | undefined;

  beforeAll(async () => {
    redis = await testRedis(2);
  });

  afterAll(async () => {
    if (worker !== undefined && worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await worker?.exited;
    await redis?.stop();
  });

  it("come back to the controller as finals/final-N/checkpoint.safetensors, nothing left in Redis", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradspec-queue-finals-"));
    const spec = join(dir, "sweep.yaml");
    writeFileSync(spec, `experiment: sweep\n${SYNTHETIC_SECTIONS}sweep:\n  trials: 3\n  parameters:\n    training.learningRate: {logUniform: [0.01, 0.1]}\n  final: {top: 2}\n`);
    worker = spawnGradspec(["worker", "--queue", redis.url, "--concurrency", "1", "--stalled-seconds", "2", "--redis-timeout", "3"]);
    const out = join(dir, "out");
    const controller = spawnGradspec(["run", spec, "--out", out, "--queue", redis.url, "--quiet"]);
    const { code } = await controller.exited;
    expect(controller.stderr()).toBe("");
    expect(code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
    const finals = summary.sweep?.final ?? [];
    expect(finals).toHaveLength(2);
    for (const [i, final] of finals.entries()) {
      const file = join(out, "finals", `final-${i + 1}`, "checkpoint.safetensors");
      expect(existsSync(file), file).toBe(true);
      const io = capture();
      expect(await main(["eval", file, "--json"], io), io.stderr()).toBe(0);
      expect((JSON.parse(io.stdout()) as { accuracy: number }).accuracy).toBe(final.final.test?.accuracy);
    }
    const client = new Redis(redis.url);
    const left = (await client.keys("*")).filter((k) => k.startsWith("gradspec:state"));
    await client.quit();
    expect(left).toEqual([]);
    worker.child.kill("SIGTERM");
    expect((await worker.exited).code).toBe(0);
  }, 120_000);
});
