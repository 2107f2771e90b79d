import { extname, join } from "node:path";
import { loadCifar10Bin, readCifar10ClassNames } from "./cifar10-bin.js";
import { loadCifar10Mat } from "./cifar10-mat.js";
import type { Dataset } from "./dataset.js";
import { DataError, notFound, type DataHint } from "./errors.js";
import { exists, requireDirectory } from "./files.js";
import { concat } from "./select.js";

/** The official batch names (without extension). */
export const CIFAR10_TRAIN_BATCHES: readonly string[] = ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5"];
export const CIFAR10_TEST_BATCH = "test_batch";

/** How batch files are found: by their extension only (bin, mat), or .bin first and then .mat (auto). */
export type Cifar10Format = "auto" | "bin" | "mat";

const EXTENSIONS: Record<Cifar10Format, readonly string[]> = { auto: [".bin", ".mat"], bin: [".bin"], mat: [".mat"] };

/**
 * The file for `batch` in `dir`: the name as given when it has an extension (which must agree with
 * `format`), else `<batch>.bin` or `<batch>.mat` as `format` allows, .bin first. A missing folder or
 * file is a one-line DataError saying where to get the data.
 */
export function resolveCifar10File(dir: string, batch: string, format: Cifar10Format = "auto"): string {
  requireDirectory(dir, "cifar10-bin");
  const allowed = EXTENSIONS[format];
  const ext = extname(batch);
  if (ext === ".bin" || ext === ".mat") {
    const file = join(dir, batch);
    if (!allowed.includes(ext)) throw new DataError(file, `is a ${ext} batch but data.format is ${format}; name the batch without an extension or set data.format: auto`);
    if (!exists(file)) throw notFound(file, hintFor(ext));
    return file;
  }
  for (const candidate of allowed) {
    const file = join(dir, `${batch}${candidate}`);
    if (exists(file)) return file;
  }
  throw notFound(join(dir, `${batch}${allowed[0]}`), hintFor(allowed[0]));
}

function hintFor(ext: string): DataHint {
  return ext === ".mat" ? "cifar10-mat" : "cifar10-bin";
}

/** One batch by name (e.g. "data_batch_1", "test_batch.mat"), binary or MATLAB by extension. */
export function loadCifar10Batch(
  dir: string,
  batch: string,
  classNames: readonly string[] = readCifar10ClassNames(dir),
  format: Cifar10Format = "auto",
): Dataset {
  const file = resolveCifar10File(dir, batch, format);
  return extname(file) === ".mat" ? loadCifar10Mat(file, classNames) : loadCifar10Bin(file, classNames);
}

/** Several batches of `dir` concatenated in order (e.g. the five training batches). */
export function loadCifar10(dir: string, batches: readonly string[] = CIFAR10_TRAIN_BATCHES, format: Cifar10Format = "auto"): Dataset {
  requireDirectory(dir, "cifar10-bin");
  const classNames = readCifar10ClassNames(dir);
  const parts = batches.map((batch) => loadCifar10Batch(dir, batch, classNames, format));
  return concat(parts, parts.length === 1 ? parts[0].name : `cifar10:${batches.join("+")}`);
}
