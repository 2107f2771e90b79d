import { readFileSync } from "node:fs";
import { Rng, formatShape, sameShape, type Tensor } from "@gradspec/autograd";
import { Sequential } from "../layers/sequential.js";
import type { LayerConfig } from "../layers/layer.js";
import { writeFileAtomicSync } from "./atomic-write.js";
import { decodeSafetensors, encodeSafetensors, type TensorInput } from "./safetensors.js";

export const CHECKPOINT_FORMAT = "gradspec-checkpoint/1";

export class CheckpointError extends Error {
  override name = "CheckpointError";
}

/**
 * Parameters and buffers (running statistics) as F64 safetensors; the architecture goes in the
 * metadata as JSON (`gradspec.architecture`), so a checkpoint rebuilds its own network.
 */
export function encodeCheckpoint(model: Sequential, metadata: Record<string, string> = {}): Uint8Array {
  const tensors: Record<string, TensorInput> = {};
  for (const [name, t] of model.params) tensors[name] = { shape: t.shape, data: t.data };
  for (const [name, t] of model.buffers) tensors[name] = { shape: t.shape, data: t.data };
  return encodeSafetensors(tensors, {
    ...metadata,
    "gradspec.format": CHECKPOINT_FORMAT,
    "gradspec.architecture": JSON.stringify(model.describe()),
  });
}

export function saveCheckpoint(model: Sequential, path: string, metadata: Record<string, string> = {}): void {
  writeFileAtomicSync(path, encodeCheckpoint(model, metadata));
}

/**
 * Copies a checkpoint's tensors into `model`. Every parameter and buffer must be present with the
 * same shape; the error names the first one that is missing, extra or of another shape.
 */
export function loadCheckpointInto(model: Sequential, bytes: Uint8Array, source = "<checkpoint>"): Record<string, string> {
  const decoded = decodeSafetensors(bytes, source);
  const expected = new Map<string, Tensor>([...model.params, ...model.buffers]);
  for (const [name, target] of expected) {
    const stored = decoded.tensors[name];
    if (stored === undefined) throw new CheckpointError(`${source}: tensor ${name} ${formatShape(target.shape)} is missing from the checkpoint`);
    if (stored.dtype !== "F64") throw new CheckpointError(`${source}: tensor ${name} is ${stored.dtype}, expected F64`);
    if (!sameShape(stored.shape, target.shape)) {
      throw new CheckpointError(`${source}: tensor ${name} has shape ${formatShape(stored.shape)} in the checkpoint but ${formatShape(target.shape)} in the network`);
    }
  }
  const extra = Object.keys(decoded.tensors).find((name) => !expected.has(name));
  if (extra !== undefined) throw new CheckpointError(`${source}: tensor ${extra} in the checkpoint has no counterpart in the network`);
  for (const [name, target] of expected) target.data.set(decoded.tensors[name].data as Float64Array);
  return decoded.metadata;
}

/** Rebuilds the network described in a checkpoint's metadata and loads its tensors. */
export function loadCheckpoint(path: string): { model: Sequential; metadata: Record<string, string> } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new CheckpointError(`${path}: cannot read the checkpoint file`);
  }
  const { metadata } = decodeSafetensors(bytes, path);
  const architecture = metadata["gradspec.architecture"];
  if (architecture === undefined) throw new CheckpointError(`${path}: no gradspec.architecture in the metadata; load it into a network you build with loadCheckpointInto`);
  const described = JSON.parse(architecture) as { inputDim: number; layers: LayerConfig[] };
  const model = Sequential.fromConfigs(described.inputDim, described.layers, new Rng(0), { type: "zeros" });
  loadCheckpointInto(model, bytes, path);
  return { model, metadata };
}
