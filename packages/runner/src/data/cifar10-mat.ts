import { basename } from "node:path";
import { CIFAR10_CLASS_NAMES, CIFAR10_CLASSES, CIFAR10_DIM } from "./cifar10-bin.js";
import type { Dataset } from "./dataset.js";
import { DataError } from "./errors.js";
import { matNumeric, matrixDims, rowMajorBytes } from "./mat-matrix.js";
import { parseMat, readMat, type MatFile } from "./mat-v5.js";

/**
 * Maps a CIFAR-10 MATLAB batch (`data` n×3072 uint8, `labels` n×1 uint8, optional `batch_label`)
 * to a Dataset with row-major CHW byte features, the same layout as the binary batches.
 */
export function cifar10FromMat(mat: MatFile, classNames: readonly string[] = CIFAR10_CLASS_NAMES): Dataset {
  const file = mat.file;
  const data = matNumeric(mat, "data");
  const [count, dim] = matrixDims(data, file);
  if (dim !== CIFAR10_DIM) {
    const hint = count === CIFAR10_DIM ? " (transposed? images must be rows)" : "";
    throw new DataError(file, `variable "data" is ${count}×${dim}, expected n×${CIFAR10_DIM}${hint}`);
  }
  const labelVar = matNumeric(mat, "labels");
  const [lr, lc] = matrixDims(labelVar, file);
  if (labelVar.real.length !== count || (lr !== 1 && lc !== 1)) {
    throw new DataError(file, `variable "labels" is ${lr}×${lc}, expected ${count}×1 to match "data" (${count}×${dim})`);
  }
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const value = labelVar.real[i];
    labels[i] = value;
    if (labels[i] !== value || value >= CIFAR10_CLASSES) {
      throw new DataError(file, `variable "labels" element ${i + 1} is ${value}, expected an integer in 0..9`);
    }
  }
  const features = rowMajorBytes(data, file);
  return { name: `cifar10:${basename(file)}`, features, labels, count, dim, classes: CIFAR10_CLASSES, classNames };
}

/**
 * The most a compressed variable of a CIFAR-10 MATLAB batch may inflate to: 10,000 images stored as
 * doubles (an official batch holds them as uint8, 30.7 MB), so a zlib bomb stops there.
 */
const CIFAR10_MAT_MAX_INFLATED = 8 * CIFAR10_DIM * 10_000 + (1 << 20);

/** Reads one MATLAB batch such as data_batch_1.mat. */
export function loadCifar10Mat(file: string, classNames?: readonly string[]): Dataset {
  return cifar10FromMat(readMat(file, "cifar10-mat", { maxInflatedBytes: CIFAR10_MAT_MAX_INFLATED }), classNames);
}

/** Parses the bytes of a MATLAB batch; `file` names it in messages. */
export function parseCifar10Mat(bytes: Uint8Array, file: string, classNames?: readonly string[]): Dataset {
  return cifar10FromMat(parseMat(bytes, file, { maxInflatedBytes: CIFAR10_MAT_MAX_INFLATED }), classNames);
}
