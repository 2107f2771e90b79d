import { Redis } from "ioredis";

/** Redis unreachable, gone, or refusing: one line naming the address and what to do. */
export class QueueError extends Error {
  override readonly name = "QueueError";
}

export interface RedisAddress {
  /** As the user wrote it, for messages. */
  url: string;
  host: string;
  port: number;
  db: number;
  password?: string;
}

/** redis://[:password@]host[:port][/db]; anything else is refused with the expected form. */
export function parseRedisUrl(url: string): RedisAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueError(`--queue ${url}: not a Redis address; expected redis://HOST:PORT (e.g. redis://127.0.0.1:6379)`);
  }
  if (parsed.protocol !== "redis:" || parsed.hostname === "") throw new QueueError(`--queue ${url}: expected redis://HOST:PORT (e.g. redis://127.0.0.1:6379)`);
  const port = parsed.port === "" ? 6379 : Number(parsed.port);
  const db = parsed.pathname === "" || parsed.pathname === "/" ? 0 : Number(parsed.pathname.slice(1));
  if (!Number.isInteger(db) || db < 0) throw new QueueError(`--queue ${url}: the database after the slash must be a number (redis://HOST:PORT/0)`);
  const address: RedisAddress = { url, host: parsed.hostname, port, db };
  if (parsed.password !== "") address.password = decodeURIComponent(parsed.password);
  return address;
}

/** Connection options for BullMQ's own clients (it needs maxRetriesPerRequest: null for blocking reads). */
export function bullConnection(address: RedisAddress): { host: string; port: number; db: number; maxRetriesPerRequest: null; password?: string } {
  return { host: address.host, port: address.port, db: address.db, maxRetriesPerRequest: null, ...(address.password === undefined ? {} : { password: address.password }) };
}

export interface RedisLinkOptions {
  /** How long Redis may stay unreachable before the link gives up (default 10 s). */
  outageSeconds?: number;
  /** How long the first connection may take (default 5 s). */
  connectSeconds?: number;
}

/**
 * One checked connection to Redis, plus a watch on it: `lost` resolves with one line when Redis has
 * not answered for `outageSeconds`, so the controller or worker can stop cleanly instead of waiting.
 */
export class RedisLink {
  readonly client: Redis;
  readonly lost: Promise<QueueError>;
  private readonly watch: NodeJS.Timeout;
  private lastAnswer = Date.now();
  private lastError = "";

  private constructor(
    readonly address: RedisAddress,
    options: RedisLinkOptions,
  ) {
    this.client = new Redis({ ...bullConnection(address), lazyConnect: true, enableOfflineQueue: false, connectTimeout: (options.connectSeconds ?? 5) * 1000, retryStrategy: () => 500 });
    this.client.on("error", (error: Error & { code?: string }) => {
      this.lastError = error.code ?? error.message;
    });
    const outage = (options.outageSeconds ?? 10) * 1000;
    let report: (error: QueueError) => void = () => undefined;
    this.lost = new Promise((resolve) => (report = resolve));
    this.watch = setInterval(() => {
      this.client.ping().then(
        () => (this.lastAnswer = Date.now()),
        () => {
          if (Date.now() - this.lastAnswer > outage) {
            clearInterval(this.watch);
            report(new QueueError(`${address.url}: Redis stopped answering (${this.lastError || "no reply"} for ${Math.round(outage / 1000)} s); every finished trial is recorded — restart Redis and run the same command again`));
          }
        },
      );
    }, 1000);
    this.watch.unref();
  }

  /** Connects and checks that Redis answers; throws one line when it does not. */
  static async open(address: RedisAddress, options: RedisLinkOptions = {}): Promise<RedisLink> {
    const link = new RedisLink(address, options);
    try {
      await link.client.connect();
      await link.client.ping();
    } catch (error) {
      link.close();
      const why = (error as { code?: string }).code ?? link.lastError ?? (error as Error).message;
      throw new QueueError(`${address.url}: cannot reach Redis (${why || (error as Error).message}); start it there (e.g. redis-server --port ${address.port}) or pass the address of a running one`);
    }
    return link;
  }

  close(): void {
    clearInterval(this.watch);
    this.client.disconnect();
  }
}

/** Resolves with `promise`, or rejects after `seconds` (closing a BullMQ object while Redis is gone would wait forever). */
export async function within<T>(seconds: number, promise: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), seconds * 1000)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
