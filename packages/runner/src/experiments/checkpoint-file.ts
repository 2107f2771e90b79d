import { encodeCheckpoint, type Sequential, type TrainState } from "@gradspec/nn";
import type { SplitData } from "../data/from-spec.js";
import { preprocessingContents } from "../data/preprocessing.js";
import type { ResolvedSpec } from "../spec/types.js";

export const CHECKPOINT_FILE = "checkpoint.safetensors";

/**
 * A trained network's checkpoint with everything `gradspec eval` and other tools need to feed it;
 * with a training state (and any `extra` metadata), also what continuing the run needs.
 */
export function trainedCheckpoint(spec: ResolvedSpec, data: SplitData, model: Sequential, status: string, extra: Record<string, string> = {}, state?: TrainState): Uint8Array {
  const { metadata, tensors } = preprocessingContents(spec.data, data.train, data.standardizer);
  return encodeCheckpoint(model, { "gradspec.spec": spec.name, "gradspec.status": status, ...metadata, ...extra }, state, tensors);
}

/** variants/<n>-<name>/checkpoint.safetensors: numbered, so names that differ only in odd characters stay apart. */
export function variantCheckpointPath(index: number, name: string): string {
  const slug = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "variant";
  return `variants/${index + 1}-${slug}/${CHECKPOINT_FILE}`;
}

/** finals/final-<n>/checkpoint.safetensors for the sweep's n-th final retraining (1-based). */
export function finalCheckpointPath(index: number): string {
  return `finals/final-${index + 1}/${CHECKPOINT_FILE}`;
}
