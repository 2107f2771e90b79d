import type { FileFingerprint } from "../../data/fingerprint.js";
import type { EpochReport, SegmentJob, SegmentResult } from "../segment.js";

/** The one queue every gradspec controller and worker on a Redis uses. */
export const QUEUE_NAME = "gradspec-trials";

/** How long finished jobs and saved states stay in Redis for a controller to come back for them. */
export const KEEP_SECONDS = 7 * 24 * 3600;

/** What a queue job carries: the segment (with its validated spec) and the data it must be trained on. */
export interface QueuePayload {
  /** The sweep's identity (first 16 hex digits of its hash): jobs and states of one sweep share it. */
  sweep: string;
  job: SegmentJob;
  /** Size and SHA-256 of every file the trial reads, as the controller has them. */
  data: FileFingerprint[];
  /** The kernels the controller computes with (plain, wasm, native): products round differently on each. */
  kernels: string;
}

/** Progress a worker sends while a job runs: an epoch, or why it will not run it. */
export type QueueProgress = { epoch: EpochReport } | { refused: string };

/** Same (sweep, trial, segment), same id: enqueueing twice is harmless, and a restarted controller finds its jobs. */
export function jobId(sweep: string, job: Pick<SegmentJob, "id" | "from" | "until">): string {
  return `${sweep}-${job.id}-${job.from}-${job.until}`;
}

/** Lower numbers run first in BullMQ: segments further along go before new trials. */
export function jobPriority(job: Pick<SegmentJob, "from">): number {
  return Math.max(1, 100_000 - job.from);
}

export function stateKey(sweep: string, id: string, epoch: number): string {
  return `gradspec:state:${sweep}:${id}@${epoch}`;
}

/** Results travel as JSON text: NaN and ±Infinity as strings, so a NaN metric does not come back as null. */
export function encodeResult(result: SegmentResult): string {
  return JSON.stringify(result, (_key, value: unknown) => (typeof value === "number" && !Number.isFinite(value) ? String(value) : value));
}

export function decodeResult(text: unknown): SegmentResult {
  const result = JSON.parse(String(text)) as SegmentResult & { metric: unknown; curve: unknown[] };
  result.metric = Number(result.metric);
  result.curve = result.curve.map(Number);
  return result;
}
