import { readFileSync } from "node:fs";
import { Rng, formatShape, sameShape, type RngState, type Tensor } from "@gradspec/autograd";
import { Sequential } from "../layers/sequential.js";
import type { LayerConfig } from "../layers/layer.js";
import type { TrainState } from "../train.js";
import type { EarlyStop } from "../early-stopping.js";
import { writeFileAtomicSync } from "./atomic-write.js";
import { decodeSafetensors, encodeSafetensors, type DecodedSafetensors, type DecodedTensor, type TensorInput } from "./safetensors.js";

/** /2 adds each tensor's layout (`gradspec.parameters`) and lets the runner store its preprocessing; /1 files load too. */
export const CHECKPOINT_FORMAT = "gradspec-checkpoint/2";
export const READABLE_FORMATS: readonly string[] = ["gradspec-checkpoint/1", CHECKPOINT_FORMAT];

/**
 * Tensors about the data rather than the network (the runner's standardization) go under this
 * prefix, which no layer's name takes (those are "W1" or "<type><position>.<local>").
 */
export const DATA_TENSOR_PREFIX = "preprocess.";

export class CheckpointError extends Error {
  override name = "CheckpointError";
}

/**
 * Parameters and buffers (running statistics) as F64 safetensors; the architecture goes in the
 * metadata as JSON (`gradspec.architecture`), so a checkpoint rebuilds its own network, and each
 * tensor's layer, shape and layout in `gradspec.parameters`. `data` holds tensors named
 * DATA_TENSOR_PREFIX + name (e.g. the standardization's mean and std).
 */
export function encodeCheckpoint(model: Sequential, metadata: Record<string, string> = {}, state?: TrainState, data: Record<string, TensorInput> = {}): Uint8Array {
  const tensors: Record<string, TensorInput> = {};
  for (const [name, t] of Object.entries(data)) {
    if (!name.startsWith(DATA_TENSOR_PREFIX)) throw new CheckpointError(`encodeCheckpoint: data tensor ${name} must be named ${DATA_TENSOR_PREFIX}…`);
    tensors[name] = t;
  }
  for (const [name, t] of model.params) tensors[name] = { shape: t.shape, data: t.data };
  for (const [name, t] of model.buffers) tensors[name] = { shape: t.shape, data: t.data };
  const stateMetadata: Record<string, string> = {};
  if (state !== undefined) {
    for (const [name, v] of state.optimizer) tensors[`${OPTIMIZER_PREFIX}${name}`] = { shape: [v.length], data: v };
    tensors[ORDER_TENSOR] = { shape: [state.order.length], data: state.order };
    const stopping = state.earlyStopping;
    for (const [name, v] of stopping?.snapshot ?? []) tensors[`${BEST_PREFIX}${name}`] = { shape: [v.length], data: v };
    const counters = { epoch: state.epoch, update: state.update, rng: state.rng, firstCost: state.firstCost };
    // JSON has no NaN: a best not yet known is written as null.
    const best = stopping === undefined || Number.isNaN(stopping.best) ? null : stopping.best;
    const early = stopping === undefined ? {} : { earlyStopping: { best, bestEpoch: stopping.bestEpoch, wait: stopping.wait } };
    stateMetadata[STATE_KEY] = JSON.stringify({ ...counters, ...early, ...(state.stopped === undefined ? {} : { stopped: state.stopped }) });
  }
  return encodeSafetensors(tensors, {
    ...metadata,
    ...stateMetadata,
    "gradspec.format": CHECKPOINT_FORMAT,
    "gradspec.architecture": JSON.stringify(model.describe()),
    "gradspec.parameters": JSON.stringify(describeTensors(model)),
  });
}

export interface TensorDescription {
  /** Position in gradspec.architecture's layers (0-based). */
  layer: number;
  type: string;
  local: string;
  kind: "parameter" | "buffer";
  shape: number[];
  layout: string;
}

/** Each parameter's and buffer's layer, shape and layout, by its name in the checkpoint. */
export function describeTensors(model: Sequential): Record<string, TensorDescription> {
  const out: Record<string, TensorDescription> = {};
  const add = (name: string, t: Tensor, kind: TensorDescription["kind"]): void => {
    const origin = model.origins.get(name);
    if (origin === undefined) return;
    const layer = model.layers[origin.layer];
    const layout = layer.layouts?.()[origin.local] ?? `${formatShape(t.shape)}, row-major; not described by layer type ${layer.type}`;
    out[name] = { layer: origin.layer, type: layer.type, local: origin.local, kind, shape: [...t.shape], layout };
  };
  for (const [name, t] of model.params) add(name, t, "parameter");
  for (const [name, t] of model.buffers) add(name, t, "buffer");
  return out;
}

// A training state rides along in the same file: the optimizer's buffers and the sample order as
// tensors under names no layer produces, the counters and the shuffle generator in the metadata.
const OPTIMIZER_PREFIX = "gradspec.optimizer.";
const ORDER_TENSOR = "gradspec.order";
// Early stopping's best epoch so far: its parameters and buffers.
const BEST_PREFIX = "gradspec.best.";
const STATE_KEY = "gradspec.train-state";

export function saveCheckpoint(model: Sequential, path: string, metadata: Record<string, string> = {}, data: Record<string, TensorInput> = {}): void {
  writeFileAtomicSync(path, encodeCheckpoint(model, metadata, undefined, data));
}

/**
 * Copies a checkpoint's tensors into `model`. Every parameter and buffer must be present with the
 * same shape; the error names the first one that is missing, extra or of another shape.
 */
export function loadCheckpointInto(model: Sequential, bytes: Uint8Array, source = "<checkpoint>"): Record<string, string> {
  return loadTrainingCheckpoint(model, bytes, source).metadata;
}

/**
 * Like loadCheckpointInto, and also returns the training state the checkpoint carries (written by
 * encodeCheckpoint with a state), to pass to `train` as `resume`.
 */
export function loadTrainingCheckpoint(model: Sequential, bytes: Uint8Array, source = "<checkpoint>"): { metadata: Record<string, string>; state?: TrainState } {
  const decoded = decodeSafetensors(bytes, source);
  const stateText = decoded.metadata[STATE_KEY];
  const stateNames = new Set(Object.keys(decoded.tensors).filter((name) => stateText !== undefined && (name === ORDER_TENSOR || name.startsWith(OPTIMIZER_PREFIX) || name.startsWith(BEST_PREFIX))));
  const expected = new Map<string, Tensor>([...model.params, ...model.buffers]);
  for (const [name, target] of expected) {
    const stored = decoded.tensors[name];
    if (stored === undefined) throw new CheckpointError(`${source}: tensor ${name} ${formatShape(target.shape)} is missing from the checkpoint`);
    if (stored.dtype !== "F64") throw new CheckpointError(`${source}: tensor ${name} is ${stored.dtype}, expected F64`);
    if (!sameShape(stored.shape, target.shape)) {
      throw new CheckpointError(`${source}: tensor ${name} has shape ${formatShape(stored.shape)} in the checkpoint but ${formatShape(target.shape)} in the network`);
    }
  }
  const extra = Object.keys(decoded.tensors).find((name) => !expected.has(name) && !stateNames.has(name) && !name.startsWith(DATA_TENSOR_PREFIX));
  if (extra !== undefined) throw new CheckpointError(`${source}: tensor ${extra} in the checkpoint has no counterpart in the network`);
  const state = stateText === undefined ? undefined : decodeState(decoded.tensors, stateText, source);
  for (const [name, target] of expected) target.data.set(decoded.tensors[name].data as Float64Array);
  return state === undefined ? { metadata: decoded.metadata } : { metadata: decoded.metadata, state };
}

function decodeState(tensors: DecodedSafetensors["tensors"], text: string, source: string): TrainState {
  let counters: {
    epoch?: unknown;
    update?: unknown;
    rng?: { words?: unknown; spareNormal?: unknown };
    firstCost?: unknown;
    earlyStopping?: { best?: unknown; bestEpoch?: unknown; wait?: unknown };
    stopped?: EarlyStop;
  };
  try {
    counters = JSON.parse(text) as typeof counters;
  } catch {
    throw new CheckpointError(`${source}: metadata ${STATE_KEY} is not JSON`);
  }
  const { epoch, update, rng } = counters;
  // Written since the divergence rule; older states take the first batch after the resume as reference.
  const firstCost = typeof counters.firstCost === "number" ? counters.firstCost : Number.NaN;
  const words = rng?.words;
  const spare = rng?.spareNormal;
  const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
  if (!isCount(epoch) || !isCount(update) || !Array.isArray(words) || words.length !== 4 || !words.every(Number.isInteger) || !(spare === null || typeof spare === "number")) {
    throw new CheckpointError(`${source}: metadata ${STATE_KEY} must hold epoch, update and rng {words: [4 integers], spareNormal}`);
  }
  const order = tensors[ORDER_TENSOR];
  if (order === undefined || order.dtype !== "I32") throw new CheckpointError(`${source}: the training state has no I32 tensor ${ORDER_TENSOR}`);
  const optimizer = new Map<string, Float64Array>();
  for (const [name, t] of Object.entries(tensors)) {
    if (!name.startsWith(OPTIMIZER_PREFIX)) continue;
    // Which names and sizes an optimizer's state has is the optimizer's business: its `load` checks them.
    if (t.dtype !== "F64") throw new CheckpointError(`${source}: optimizer state ${name} must be F64, got ${t.dtype}`);
    optimizer.set(name.slice(OPTIMIZER_PREFIX.length), Float64Array.from(t.data as Float64Array));
  }
  const rngState: RngState = { words: words as [number, number, number, number], spareNormal: spare };
  const state: TrainState = { epoch, update, rng: rngState, order: Int32Array.from(order.data as Int32Array), optimizer, firstCost };
  const early = counters.earlyStopping;
  if (early !== undefined) {
    if (!(typeof early.best === "number" || early.best === null) || !isCount(early.bestEpoch) || !isCount(early.wait)) throw new CheckpointError(`${source}: metadata ${STATE_KEY} has an earlyStopping without best, bestEpoch and wait`);
    const snapshot = new Map<string, Float64Array>();
    for (const [name, t] of Object.entries(tensors)) if (name.startsWith(BEST_PREFIX)) snapshot.set(name.slice(BEST_PREFIX.length), Float64Array.from(t.data as Float64Array));
    state.earlyStopping = { best: early.best ?? Number.NaN, bestEpoch: early.bestEpoch, wait: early.wait, snapshot };
  }
  if (counters.stopped !== undefined) state.stopped = counters.stopped;
  return state;
}

export interface LoadedCheckpoint {
  model: Sequential;
  metadata: Record<string, string>;
  /** The data tensors, by their name without DATA_TENSOR_PREFIX. */
  data: Record<string, DecodedTensor>;
}

/**
 * Rebuilds the network described in a checkpoint's metadata and loads its tensors. Every problem
 * (unreadable, not safetensors, no or another architecture, a newer format) is a one-line error
 * naming the file.
 */
export function loadCheckpoint(path: string): LoadedCheckpoint {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const missing = (error as { code?: unknown } | null)?.code === "ENOENT";
    throw new CheckpointError(`${path}: ${missing ? "no such file; give the checkpoint.safetensors of a run folder" : "cannot read the checkpoint file"}`);
  }
  const decoded = decodeSafetensors(bytes, path);
  const { metadata } = decoded;
  const format = metadata["gradspec.format"];
  if (format !== undefined && !READABLE_FORMATS.includes(format)) {
    throw new CheckpointError(`${path}: format ${format} is newer than this gradspec reads (${READABLE_FORMATS.join(", ")}); update gradspec`);
  }
  const architecture = metadata["gradspec.architecture"];
  if (architecture === undefined) throw new CheckpointError(`${path}: no gradspec.architecture in the metadata; load it into a network you build with loadCheckpointInto`);
  let model: Sequential;
  try {
    const described = JSON.parse(architecture) as { inputDim: number; layers: LayerConfig[] };
    model = Sequential.fromConfigs(described.inputDim, described.layers, new Rng(0), { type: "zeros" });
  } catch (error) {
    throw new CheckpointError(`${path}: gradspec.architecture does not describe a network (${(error as Error).message})`);
  }
  loadCheckpointInto(model, bytes, path);
  const data: Record<string, DecodedTensor> = {};
  for (const [name, t] of Object.entries(decoded.tensors)) if (name.startsWith(DATA_TENSOR_PREFIX)) data[name.slice(DATA_TENSOR_PREFIX.length)] = t;
  return { model, metadata, data };
}
