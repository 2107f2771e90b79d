import type { EpochReport, SegmentJob, SegmentResult } from "../segment.js";

/**
 * Runs trial segments somewhere: in this thread, on worker threads, or on queue workers on other
 * machines. The controller decides what runs; an executor only runs it and reports back.
 */
export interface TrialExecutor {
  /** Human-readable, for the run's log ("2 worker threads", "queue redis://…"). */
  readonly name: string;
  /**
   * Runs one segment (segments further along, larger `from`, are taken first). Resolves with its
   * result, a trial's own failure included; rejects with a DataError (no trial can run on this data)
   * or when the executor itself can no longer run anything.
   */
  run(job: SegmentJob, onEpoch?: (report: EpochReport) => void): Promise<SegmentResult>;
  /** The paused trial `id` will not go on from `epoch`: its saved state can go. */
  discard(id: string, epoch: number): Promise<void>;
  /** The checkpoint a final retraining saved at its last epoch, taken out of the store (undefined: none). */
  takeFinal?(id: string, epoch: number): Promise<Uint8Array | undefined>;
  /** Stops. Segments still running are abandoned; their trials continue from their last saved state next time. */
  close(): Promise<void>;
}

/** A segment's result and the training state it saved, if it paused. */
export interface SegmentOutput {
  result: SegmentResult;
  checkpoint?: Uint8Array;
}

/** Runs segments given the state saved at their `from`; where states are kept is the caller's business. */
export interface SegmentRunner {
  readonly name: string;
  run(job: SegmentJob, checkpoint: Uint8Array | undefined, onEpoch?: (report: EpochReport) => void): Promise<SegmentOutput>;
  close(): Promise<void>;
}

/** Where the training states of paused trials are kept between segments. */
export interface StateStore {
  read(id: string, epoch: number): Promise<Uint8Array | undefined>;
  write(id: string, epoch: number, bytes: Uint8Array): Promise<void>;
  remove(id: string, epoch: number): Promise<void>;
}

/** An executor from a runner and a store: each segment reads the state at `from` and saves the one at `until`. */
export function storedExecutor(runner: SegmentRunner, states: StateStore): TrialExecutor {
  return {
    name: runner.name,
    async run(job, onEpoch) {
      const before = job.from > 0 ? await states.read(job.id, job.from) : undefined;
      const { result, checkpoint } = await runner.run(job, before, onEpoch);
      if (checkpoint !== undefined) await states.write(job.id, job.until, checkpoint);
      if (job.from > 0 && result.status !== "failed") await states.remove(job.id, job.from);
      return result;
    },
    discard: (id, epoch) => states.remove(id, epoch),
    async takeFinal(id, epoch) {
      const bytes = await states.read(id, epoch);
      if (bytes !== undefined) await states.remove(id, epoch);
      return bytes;
    },
    close: () => runner.close(),
  };
}

/** A segment waiting for its turn, with the callbacks of the promise its caller holds. */
export interface PendingSegment {
  job: SegmentJob;
  checkpoint: Uint8Array | undefined;
  onEpoch: ((report: EpochReport) => void) | undefined;
  resolve: (output: SegmentOutput) => void;
  reject: (error: unknown) => void;
}

/** Pending segments, furthest along first (a trial that survived a rung finishes before new ones start), else in arrival order. */
export class SegmentQueue<T extends { job: SegmentJob }> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    let at = this.items.length;
    while (at > 0 && this.items[at - 1].job.from < item.job.from) at--;
    this.items.splice(at, 0, item);
  }

  shift(): T | undefined {
    return this.items.shift();
  }

  drain(): T[] {
    return this.items.splice(0);
  }
}
