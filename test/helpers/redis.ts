import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestRedis {
  url: string;
  /** Stops a server this helper started (a shared one from GRADSPEC_TEST_REDIS is left running). */
  stop(): Promise<void>;
}

/** Why queue tests cannot run here, or undefined when redis-server is on the PATH. */
export function redisUnavailable(): string | undefined {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  return probe.status === 0 ? undefined : "redis-server is not installed (.ci/run installs Debian's redis-server)";
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** A private redis-server on a free loopback port, without persistence; for tests that stop Redis on purpose. */
export async function privateRedis(): Promise<TestRedis & { process: ChildProcess }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "gradspec-redis-"));
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: "ignore" });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ping = spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" });
    if (ping.stdout.trim() === "PONG") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The Redis .ci/run started (GRADSPEC_TEST_REDIS), database `db` of it so that test files do not see
 * each other's jobs; or a private server when none was started.
 */
export async function testRedis(db: number): Promise<TestRedis> {
  const shared = process.env.GRADSPEC_TEST_REDIS;
  if (shared !== undefined && shared !== "") {
    const url = `${shared.replace(/\/\d*$/, "")}/${db}`;
    spawnSync("redis-cli", ["-u", url, "flushdb"]);
    return { url, stop: async () => undefined };
  }
  return privateRedis();
}
