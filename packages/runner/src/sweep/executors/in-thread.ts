import type { DataCache } from "../../data/data-cache.js";
import { runSegment } from "../segment.js";
import { SegmentQueue, type PendingSegment, type SegmentRunner } from "./executor.js";

/** Segments one after another in this thread (sweep.parallel: 1), yielding to the event loop between them. */
export function inThreadRunner(data: DataCache): SegmentRunner {
  const queue = new SegmentQueue<PendingSegment>();
  let scheduled = false;
  let closed = false;
  const next = (): void => {
    const item = closed ? undefined : queue.shift();
    if (item === undefined) {
      scheduled = false;
      return;
    }
    try {
      item.resolve(withDefaultSignals(() => runSegment(item.job, data, item.checkpoint, item.onEpoch)));
    } catch (error) {
      item.reject(error);
    }
    setImmediate(next);
  };
  return {
    name: "this thread",
    run(job, checkpoint, onEpoch) {
      return new Promise((resolve, reject) => {
        queue.push({ job, checkpoint, onEpoch, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(next);
        }
      });
    },
    async close() {
      closed = true;
      queue.drain();
    },
  };
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * While a segment trains here, this thread runs no JavaScript, so a signal handler would wait for the
 * segment to end: the handlers step aside and Ctrl-C ends the process at once, as with no handler.
 * Nothing is lost: every finished trial is already recorded, and the segment runs again on resume.
 */
function withDefaultSignals<T>(work: () => T): T {
  const saved = SIGNALS.map((signal) => [signal, process.listeners(signal)] as const);
  for (const [signal, listeners] of saved) for (const listener of listeners) process.off(signal, listener);
  try {
    return work();
  } finally {
    for (const [signal, listeners] of saved) for (const listener of listeners) process.on(signal, listener);
  }
}
