import type { Redis } from "ioredis";
import type { StateStore } from "../executors/executor.js";
import { KEEP_SECONDS, stateKey } from "./protocol.js";

/** Training states of paused trials in Redis, where every worker of the queue can read them. */
export function redisStates(client: Redis, sweep: string): StateStore {
  return {
    async read(id, epoch) {
      const bytes = await client.getBuffer(stateKey(sweep, id, epoch));
      return bytes === null ? undefined : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    async write(id, epoch, bytes) {
      await client.set(stateKey(sweep, id, epoch), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "EX", KEEP_SECONDS);
    },
    async remove(id, epoch) {
      await client.del(stateKey(sweep, id, epoch));
    },
  };
}
