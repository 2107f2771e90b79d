/**
 * The CIFAR-10 training images the benchmark trains on: the real binary batches when a folder holds
 * them (env GRADSPEC_DATA, else <repo>/../shared/cifar-10-jpeg), else random bytes of the same size.
 * Images stay bytes; batches are standardized into the training loop's buffer by `datasetSource`.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BatchSource } from "@gradspec/nn";
import { CIFAR10_DIM, CIFAR10_TRAIN_BATCHES, fitStandardizer, loadCifar10, subset, type Dataset } from "../packages/runner/src/data/index.js";
import { datasetSource } from "../packages/runner/src/data/from-spec.js";

const REPO = resolve(fileURLToPath(new URL("..", import.meta.url)));
const TRAIN_IMAGES = 50_000;

export interface BenchData {
  /** Where the images came from, for the report. */
  readonly description: string;
  readonly real: boolean;
  /** The 50,000 training images (five batches). */
  readonly all: Dataset;
}

export interface TrainSplit {
  /** What the split is, e.g. "data_batch_1 (10,000) / data_batch_2 (10,000)". */
  readonly label: string;
  readonly train: BatchSource;
  readonly validation: BatchSource;
}

/** The folder that should hold data_batch_1.bin…data_batch_5.bin. */
export function cifarFolder(): string {
  const fromEnv = process.env.GRADSPEC_DATA;
  return fromEnv !== undefined && fromEnv !== "" ? resolve(fromEnv) : join(REPO, "..", "shared", "cifar-10-jpeg");
}

export function loadBenchData(): BenchData {
  const dir = cifarFolder();
  const present = CIFAR10_TRAIN_BATCHES.every((b) => existsSync(join(dir, `${b}.bin`)) || existsSync(join(dir, `${b}.mat`)));
  if (present) {
    try {
      return { description: `CIFAR-10 training batches from ${dir}`, real: true, all: loadCifar10(dir) };
    } catch (error) {
      return synthetic(`${dir} could not be read (${(error as Error).message})`);
    }
  }
  return synthetic(`no CIFAR-10 batches in ${dir} (set GRADSPEC_DATA)`);
}

/** Random bytes and labels of CIFAR-10's size (seeded LCG, so every run trains on the same bytes). */
function synthetic(why: string): BenchData {
  const features = new Uint8Array(TRAIN_IMAGES * CIFAR10_DIM);
  const labels = new Uint8Array(TRAIN_IMAGES);
  let s = 12345;
  for (let i = 0; i < features.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    features[i] = s >>> 24;
  }
  for (let i = 0; i < labels.length; i++) labels[i] = i % 10;
  const all: Dataset = { name: "synthetic-cifar10", features, labels, count: TRAIN_IMAGES, dim: CIFAR10_DIM, classes: 10 };
  return { description: `SYNTHETIC random bytes of CIFAR-10's size: ${why}`, real: false, all };
}

/**
 * The report's two set-ups: 10,000 training images (data_batch_1) validated on data_batch_2, and
 * 49,000 (batches 1–5 less the last 1,000) validated on the last 1,000. Standardized with the
 * training split's statistics.
 */
export function trainSplit(data: BenchData, trainCount: 10_000 | 49_000): TrainSplit {
  const train = subset(data.all, 0, trainCount);
  const validation = trainCount === 10_000 ? subset(data.all, 10_000, 20_000) : subset(data.all, 49_000, 50_000);
  const standardizer = fitStandardizer(train);
  const label =
    trainCount === 10_000 ? "10,000 train (data_batch_1) + 10,000 validation (data_batch_2)" : "49,000 train (batches 1–5) + 1,000 validation (last of batch 5)";
  return { label, train: datasetSource(train, standardizer), validation: datasetSource(validation, standardizer) };
}

/** A source of the first `count` samples of `source` that adds the time spent in `fill` to `clock.ms`. */
export function timedSource(source: BatchSource, count: number, clock: { ms: number }): BatchSource {
  if (count > source.count) throw new RangeError(`timedSource: ${count} samples asked for, the source has ${source.count}`);
  return {
    count,
    dim: source.dim,
    classes: source.classes,
    fill(indices, out, labels) {
      const t0 = performance.now();
      source.fill(indices, out, labels);
      clock.ms += performance.now() - t0;
    },
  };
}
