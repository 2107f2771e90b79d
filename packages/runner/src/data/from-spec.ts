import { resolve } from "node:path";
import type { BatchSource } from "@gradspec/nn";
import type { DataSpec } from "../spec/types.js";
import type { Dataset, Standardizer } from "./dataset.js";
import { DataError } from "./errors.js";
import { loadCifar10 } from "./cifar10.js";
import { loadMnist } from "./mnist.js";
import { syntheticBlobs } from "./synthetic.js";
import { subset } from "./select.js";
import { fitStandardizer, identityStandardizer } from "./standardize.js";
import { fillBatch, fillLabels } from "./batch.js";
import type { AugmentedRows } from "./augmented-rows.js";

export interface SplitData {
  train: Dataset;
  validation?: Dataset;
  test?: Dataset;
  standardizer: Standardizer;
}

/** The folder of CIFAR-10 batches: data.dir (relative to the spec's folder), else GRADSPEC_DATA. */
export function cifarDir(spec: DataSpec & { source: "cifar10" }, specDir: string): string {
  if (spec.dir !== undefined) return resolve(specDir, spec.dir);
  const fromEnv = process.env.GRADSPEC_DATA;
  if (fromEnv !== undefined && fromEnv !== "") return resolve(fromEnv);
  throw new DataError(
    "data.dir",
    "no CIFAR-10 folder given; set data.dir in the spec, pass --set data.dir=FOLDER, or set GRADSPEC_DATA to the folder that holds data_batch_1.bin (binary version: https://www.cs.toronto.edu/~kriz/cifar.html)",
  );
}

/** Loads the splits a data section names, applies limits, and fits the standardizer on the training split. */
export function loadSpecData(spec: DataSpec, specDir: string): SplitData {
  let train: Dataset;
  let validation: Dataset | undefined;
  let test: Dataset | undefined;
  switch (spec.source) {
    case "cifar10": {
      const dir = cifarDir(spec, specDir);
      const all = loadCifar10(dir, spec.train, spec.format);
      if (typeof spec.validation === "number") {
        [train, validation] = splitTail(all, spec.validation, "data.validation");
      } else {
        train = all;
        validation = spec.validation.length > 0 ? loadCifar10(dir, spec.validation, spec.format) : undefined;
      }
      test = spec.test.length > 0 ? loadCifar10(dir, spec.test, spec.format) : undefined;
      break;
    }
    case "mnist": {
      const split = loadMnist({ trainFraction: spec.mnist.trainFraction });
      [train, validation] = splitTail(split.train, spec.validation, "data.validation");
      test = split.test;
      break;
    }
    case "synthetic": {
      const s = spec.synthetic;
      const blobs = syntheticBlobs({ seed: s.seed, classes: s.classes, dim: s.dim, spread: s.spread, train: s.train + s.validation, test: s.test });
      [train, validation] = splitTail(blobs.train, s.validation, "data.synthetic.validation");
      test = s.test > 0 ? blobs.test : undefined;
      break;
    }
  }
  train = limit(train, spec.limit.train);
  validation = validation && limit(validation, spec.limit.validation);
  test = test && limit(test, spec.limit.test);
  const standardizer = spec.preprocess === "standardize" ? fitStandardizer(train) : identityStandardizer(train.dim);
  const result: SplitData = { train, standardizer };
  if (validation !== undefined && validation.count > 0) result.validation = validation;
  if (test !== undefined && test.count > 0) result.test = test;
  return result;
}

export function splitTail(all: Dataset, count: number, where: string): [Dataset, Dataset | undefined] {
  if (count === 0) return [all, undefined];
  if (count >= all.count) {
    throw new DataError(where, `${count} validation samples asked for, but the training files hold only ${all.count}; use a smaller count`);
  }
  return [subset(all, 0, all.count - count, all.name), subset(all, all.count - count, all.count, `${all.name} (last ${count})`)];
}

export function limit(dataset: Dataset, count: number | undefined): Dataset {
  return count === undefined || count >= dataset.count ? dataset : subset(dataset, 0, count, dataset.name);
}

/**
 * A training-loop source over a compact dataset, standardized row by row into the loop's buffer;
 * with `augment`, training batches (never evaluation) are augmented first.
 */
export function datasetSource(dataset: Dataset, standardizer: Standardizer, augment?: AugmentedRows): BatchSource {
  return {
    count: dataset.count,
    dim: dataset.dim,
    classes: dataset.classes,
    fill(indices, out, labels, at) {
      if (augment !== undefined && at !== undefined) augment.fill(dataset, indices, standardizer, out, at);
      else fillBatch(dataset, indices, standardizer, out);
      fillLabels(dataset, indices, labels);
    },
  };
}

