import { loadCifar10, loadCifar10Batch } from "./cifar10.js";
import { readCifar10ClassNames } from "./cifar10-bin.js";
import type { DataSpec } from "../spec/types.js";
import type { Dataset } from "./dataset.js";
import { DataError } from "./errors.js";
import { limit, loadSpecData, splitTail } from "./from-spec.js";

export const NAMED_SPLITS = ["test", "train", "validation"] as const;

/**
 * One split of the data section a checkpoint was trained under, as `gradspec run` made it (the
 * same batches, validation tail and limits): test, train, validation, or for CIFAR-10 any batch
 * of the folder by name (e.g. data_batch_5, whole). `dir` is the CIFAR-10 folder.
 */
export function loadEvalSplit(spec: DataSpec, split: string, dir: string | undefined): Dataset {
  if (spec.source !== "cifar10") {
    const data = loadSpecData(spec, process.cwd());
    const chosen = split === "test" ? data.test : split === "train" ? data.train : data.validation;
    if (chosen === undefined) throw new DataError(spec.source, `the checkpoint's data section has no ${split} split; use another --split`);
    return chosen;
  }
  if (dir === undefined) throw new DataError("data.dir", "no CIFAR-10 folder given");
  const { format } = spec;
  if (split === "test") {
    if (spec.test.length === 0) throw new DataError(dir, "the checkpoint's data section has no test batches; name one: --split test_batch");
    return limit(loadCifar10(dir, spec.test, format), spec.limit.test);
  }
  if (split === "train" || split === "validation") {
    const all = loadCifar10(dir, spec.train, format);
    if (typeof spec.validation === "number") {
      const [train, validation] = splitTail(all, spec.validation, "data.validation");
      if (split === "train") return limit(train, spec.limit.train);
      if (validation === undefined) throw new DataError(dir, "the checkpoint's data section has no validation split; use --split test or a batch name");
      return limit(validation, spec.limit.validation);
    }
    if (split === "train") return limit(all, spec.limit.train);
    if (spec.validation.length === 0) throw new DataError(dir, "the checkpoint's data section has no validation split; use --split test or a batch name");
    return limit(loadCifar10(dir, spec.validation, format), spec.limit.validation);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(split)) throw new DataError(dir, `--split ${JSON.stringify(split)} is neither test, train, validation nor a batch name such as data_batch_5`);
  return loadCifar10Batch(dir, split, readCifar10ClassNames(dir), format);
}
