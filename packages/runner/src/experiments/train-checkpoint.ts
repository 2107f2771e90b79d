import { readFileSync } from "node:fs";
import { CheckpointError, SafetensorsError, loadTrainingCheckpoint, type Sequential, type TrainState } from "@gradspec/nn";
import type { SplitData } from "../data/from-spec.js";
import { CHECKPOINT_FILE, trainedCheckpoint } from "./checkpoint-file.js";
import { buildModel } from "../model.js";
import type { EpochMetrics } from "../report/types.js";
import { FolderError } from "../run/identity.js";
import type { RunFolder } from "../run/run-folder.js";
import type { TrainSpec } from "../spec/types.js";

export { CHECKPOINT_FILE };
/** The epochs trained so far, beside the checkpoint (not in it: their timings would make identical runs' checkpoints differ). */
export const HISTORY_FILE = "history.json";

/** Where a train run in a folder stands: its checkpoint's bytes, the epochs it has trained, and their history rows. */
export interface ResumePoint {
  bytes: Uint8Array;
  epoch: number;
  history: EpochMetrics[];
}

/**
 * Writes a train run's checkpoint (what `trainedCheckpoint` holds and, unless it diverged, the
 * training state that continues it) and, first, the history so far beside it.
 */
export function writeTrainCheckpoint(folder: RunFolder, spec: TrainSpec, data: SplitData, model: Sequential, status: string, history: readonly EpochMetrics[], state?: TrainState): void {
  folder.writeJson(HISTORY_FILE, history);
  folder.write(CHECKPOINT_FILE, trainedCheckpoint(spec, data, model, status, {}, state));
}

/**
 * The point a train run in `folder` can continue from, checked against the spec's network; undefined
 * when the folder has no checkpoint yet (a run killed in its first epoch). A checkpoint that cannot
 * continue (unreadable, of another network, without a training state) is one line naming it.
 */
export function resumePoint(folder: RunFolder, spec: TrainSpec): ResumePoint | undefined {
  if (!folder.has(CHECKPOINT_FILE)) return undefined;
  const path = folder.file(CHECKPOINT_FILE);
  const fresh = `pass another --out to start anew`;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new FolderError(`${path}: cannot read it (${(error as Error).message}); ${fresh}`);
  }
  let loaded: ReturnType<typeof loadTrainingCheckpoint>;
  try {
    loaded = loadTrainingCheckpoint(buildModel(spec.model, spec.training.seed), bytes, path);
  } catch (error) {
    if (error instanceof CheckpointError || error instanceof SafetensorsError || error instanceof RangeError) throw new FolderError(`${error.message}; ${fresh}`);
    throw error;
  }
  if (loaded.state === undefined) {
    const status = loaded.metadata["gradspec.status"];
    throw new FolderError(`${path} holds no training state to continue from${status === undefined ? "" : ` (the run ${status})`}; ${fresh}`);
  }
  if (loaded.state.stopped !== undefined) {
    throw new FolderError(`${path}: this run was stopped early at epoch ${loaded.state.stopped.epoch} (training.earlyStopping), so it has nothing left to continue; pass another --out to start anew`);
  }
  const epoch = loaded.state.epoch;
  let history: EpochMetrics[];
  try {
    history = (JSON.parse(folder.has(HISTORY_FILE) ? folder.read(HISTORY_FILE) : "[]") as EpochMetrics[]).filter((row) => row.epoch <= epoch);
  } catch {
    throw new FolderError(`${folder.file(HISTORY_FILE)}: not readable JSON; ${fresh}`);
  }
  if (epoch > spec.training.epochs) {
    throw new FolderError(`${path} has trained ${epoch} epochs, more than training.epochs ${spec.training.epochs}; set training.epochs to ${epoch} or more`);
  }
  return { bytes, epoch, history };
}
