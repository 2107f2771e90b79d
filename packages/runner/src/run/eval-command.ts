import { resolve } from "node:path";
import { CheckpointError, evaluate, loadCheckpoint, SafetensorsError, type LoadedCheckpoint } from "@gradspec/nn";
import { DataError } from "../data/errors.js";
import { loadEvalSplit, NAMED_SPLITS } from "../data/eval-split.js";
import { datasetSource } from "../data/from-spec.js";
import { storedPreprocessing } from "../data/preprocessing.js";
import { UsageError } from "./usage-error.js";

export interface EvalRequest {
  checkpoint: string;
  /** The CIFAR-10 folder (default GRADSPEC_DATA); refused for data that ship with gradspec. */
  data?: string;
  split: string;
}

export interface EvalResult {
  checkpoint: string;
  spec: string;
  split: string;
  dataset: string;
  samples: number;
  accuracy: number;
  loss: number;
  classes: string[];
  /** Rows: true class; columns: predicted. */
  confusion: number[][];
}

/** `gradspec eval`: the checkpoint's network, fed as it was trained (its stored standardization), on one split. */
export function evalCheckpoint(request: EvalRequest): EvalResult {
  const path = request.checkpoint;
  let loaded: LoadedCheckpoint;
  try {
    loaded = loadCheckpoint(path);
  } catch (error) {
    // The checkpoint is the command's input, like a spec: a bad one is bad input (exit 2).
    if (error instanceof CheckpointError || error instanceof SafetensorsError) throw new UsageError(error.message);
    throw error;
  }
  const stored = storedPreprocessing(path, loaded);
  if (typeof stored === "string") throw new UsageError(stored);
  const source = stored.data.source;
  if (request.data !== undefined && source !== "cifar10") {
    throw new UsageError(`${path}: trained on ${source} data, which gradspec makes itself; drop --data (it names a CIFAR-10 folder)`);
  }
  if (source !== "cifar10" && !(NAMED_SPLITS as readonly string[]).includes(request.split)) {
    throw new UsageError(`--split ${JSON.stringify(request.split)}: ${source} data have the splits test, train and validation`);
  }
  const fromEnv = process.env.GRADSPEC_DATA;
  const dir = request.data ?? (fromEnv === undefined || fromEnv === "" ? undefined : fromEnv);
  if (source === "cifar10" && dir === undefined) throw new DataError(path, "trained on CIFAR-10; give --data FOLDER (the one holding test_batch.bin) or set GRADSPEC_DATA");
  const dataset = loadEvalSplit(stored.data, request.split, dir === undefined ? undefined : resolve(dir));
  const { model } = loaded;
  if (dataset.dim !== model.inputDim) {
    throw new DataError(dataset.name, `has ${dataset.dim} features per sample, but the network of ${path} takes ${model.inputDim} (${stored.record.input.layout}); evaluate it on the data it was trained on`);
  }
  if (dataset.classes !== model.outputDim || stored.classNames.length !== model.outputDim) {
    throw new DataError(dataset.name, `has ${dataset.classes} classes, but the network of ${path} predicts ${model.outputDim}; evaluate it on the data it was trained on`);
  }
  const result = evaluate(model, datasetSource(dataset, stored.standardizer), { confusion: true });
  return {
    checkpoint: path,
    spec: loaded.metadata["gradspec.spec"] ?? "",
    split: request.split,
    dataset: dataset.name,
    samples: result.count,
    accuracy: result.accuracy,
    loss: result.loss,
    classes: stored.classNames,
    confusion: result.confusion ?? [],
  };
}

/** The result for a terminal: one line of metrics, then the confusion matrix with class names. */
export function evalText(r: EvalResult): string[] {
  const lines = [
    `${r.checkpoint}${r.spec === "" ? "" : ` (spec ${r.spec})`}`,
    `${r.split}: ${r.dataset}, ${r.samples} samples: accuracy ${(100 * r.accuracy).toFixed(2)} %, loss ${r.loss.toFixed(4)}`,
    "confusion matrix (rows: true class, columns: predicted):",
  ];
  const labelWidth = Math.max(...r.classes.map((c) => c.length));
  const widths = r.classes.map((c, j) => Math.max(c.length, ...r.confusion.map((row) => String(row[j]).length)));
  lines.push(`${" ".repeat(labelWidth)}  ${r.classes.map((c, j) => c.padStart(widths[j])).join(" ")}`);
  r.confusion.forEach((row, i) => lines.push(`${r.classes[i].padEnd(labelWidth)}  ${row.map((v, j) => String(v).padStart(widths[j])).join(" ")}`));
  return lines;
}
