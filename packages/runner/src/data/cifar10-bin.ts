import { basename, join } from "node:path";
import type { Dataset } from "./dataset.js";
import { DataError } from "./errors.js";
import { readDataFile, readOptionalText } from "./files.js";

/** 3 × 32 × 32 pixels per image: 1024 R, 1024 G, 1024 B bytes, each plane row-major. */
export const CIFAR10_DIM = 3072;
export const CIFAR10_CLASSES = 10;
/** The official class names, used when a folder has no batches.meta.txt. */
export const CIFAR10_CLASS_NAMES: readonly string[] = [
  "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
];

const RECORD_BYTES = 1 + CIFAR10_DIM;

/**
 * Parses CIFAR-10 binary records (1 label byte + 3072 pixel bytes each). Features keep the file's
 * CHW byte order. `file` is used only in messages and the dataset name.
 */
export function parseCifar10Bin(bytes: Uint8Array, file: string, classNames: readonly string[] = CIFAR10_CLASS_NAMES): Dataset {
  if (bytes.length === 0 || bytes.length % RECORD_BYTES !== 0) {
    throw new DataError(
      file,
      `size ${bytes.length} bytes is not a positive multiple of ${RECORD_BYTES} (1 label byte + ${CIFAR10_DIM} pixel bytes ` +
        `per record; an official batch is ${10000 * RECORD_BYTES} bytes = 10000 records): truncated or not a CIFAR-10 binary batch`,
    );
  }
  const count = bytes.length / RECORD_BYTES;
  const labels = new Uint8Array(count);
  const features = new Uint8Array(count * CIFAR10_DIM);
  for (let i = 0, offset = 0; i < count; i++, offset += RECORD_BYTES) {
    const label = bytes[offset];
    if (label >= CIFAR10_CLASSES) {
      throw new DataError(file, `record ${i} (byte ${offset}) has label ${label}, expected 0..9: not a CIFAR-10 binary batch`);
    }
    labels[i] = label;
    features.set(bytes.subarray(offset + 1, offset + RECORD_BYTES), i * CIFAR10_DIM);
  }
  return { name: `cifar10:${basename(file)}`, features, labels, count, dim: CIFAR10_DIM, classes: CIFAR10_CLASSES, classNames };
}

/** Reads one binary batch such as data_batch_1.bin or test_batch.bin. */
export function loadCifar10Bin(file: string, classNames?: readonly string[]): Dataset {
  return parseCifar10Bin(readDataFile(file, "cifar10-bin"), file, classNames);
}

/**
 * The class names from `<dir>/batches.meta.txt` (one per line, blank lines ignored), or the official
 * names when the file is absent.
 */
export function readCifar10ClassNames(dir: string): readonly string[] {
  const file = join(dir, "batches.meta.txt");
  const text = readOptionalText(file);
  if (text === null) return CIFAR10_CLASS_NAMES;
  const names = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  if (names.length !== CIFAR10_CLASSES) {
    throw new DataError(file, `has ${names.length} class names, expected ${CIFAR10_CLASSES} (one per line)`);
  }
  return names;
}
