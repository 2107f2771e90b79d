import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import type { LayerConfig } from "@gradspec/nn";
import { CIFAR_BATCH_SIZE, MNIST_SAMPLES } from "../spec/defaults.js";
import type { PathIssue } from "../spec/issues.js";
import type { SpecPath } from "../spec/json.js";
import type { ModelSpec, ResolvedSpec } from "../spec/types.js";
import { modelLayerConfigs } from "../model.js";

/** A part of a run's memory and the key of the spec that sizes it. */
interface MemoryPart {
  what: string;
  key: SpecPath;
  bytes: number;
  /** What to change to need less. */
  fix: string;
}

const F64 = 8;
/** The two step arenas of a training loop (nn's train.ts), reserved whatever the network. */
const ARENA_BYTES = 2 * 128 * 1024 * 1024;
/** Copies of every parameter while training: the values, their gradient, the optimizer's velocity, a tape temporary. */
const PARAMETER_COPIES = 4;
/** Buffers per activation element in a step (forward values, batch-norm intermediates, gradients). */
const ACTIVATION_COPIES = 6;
/** Evaluation runs forward only, 1000 rows at a time, keeping about two buffers per element. */
const EVALUATION_ROWS = 1000;
const EVALUATION_COPIES = 2;

/**
 * What a run is expected to hold at its peak: the data once, and per concurrent trial its parameters,
 * step activations and arenas. Coarse (within a factor of about two), to refuse before allocating a
 * run that cannot fit, never to plan memory.
 */
export function estimateRunMemory(spec: ResolvedSpec): { bytes: number; parts: MemoryPart[] } {
  const concurrent = spec.experiment === "sweep" ? spec.sweep.parallel ?? availableParallelism() : 1;
  const parts = [dataPart(spec), ...modelParts(spec.model, spec.training.batchSize)].map((part, i) =>
    i === 0 ? part : { ...part, bytes: part.bytes * concurrent },
  );
  parts.push({ what: "training arenas", key: spec.experiment === "sweep" ? ["sweep", "parallel"] : ["training"], bytes: ARENA_BYTES * concurrent, fix: "run fewer trials at once" });
  return { bytes: parts.reduce((sum, p) => sum + p.bytes, 0), parts };
}

function dataPart(spec: ResolvedSpec): MemoryPart {
  const data = spec.data;
  switch (data.source) {
    case "cifar10": {
      const batches = data.train.length + (Array.isArray(data.validation) ? data.validation.length : 0) + data.test.length;
      return { what: "CIFAR-10 batches", key: ["data", "train"], bytes: batches * CIFAR_BATCH_SIZE * 3073, fix: "read fewer batches" };
    }
    case "mnist":
      return { what: "MNIST digits", key: ["data", "source"], bytes: MNIST_SAMPLES * 785 * 2, fix: "" };
    case "synthetic": {
      const s = data.synthetic;
      return { what: "synthetic samples", key: ["data", "synthetic", "train"], bytes: (s.train + s.validation + s.test) * s.dim * F64, fix: "use fewer samples or dimensions" };
    }
  }
}

/** The largest weight matrix (named by the key of its wider side) and the step activations. */
function modelParts(model: ModelSpec, batchSize: number): MemoryPart[] {
  const configs = modelLayerConfigs(model);
  let width = model.input;
  let activationWidth = model.input;
  let parameters = 0;
  let largest = { bytes: 0, index: -1, inputs: 0, units: 0 };
  let widest = { units: 0, index: -1 };
  configs.forEach((config, index) => {
    const units = linearUnits(config);
    if (units === undefined) {
      activationWidth += width;
      if (config.type === "batchnorm") parameters += 4 * width;
      return;
    }
    const weights = (width + 1) * units;
    parameters += weights;
    if (weights > largest.bytes) largest = { bytes: weights, index, inputs: width, units };
    if (units > widest.units) widest = { units, index };
    width = units;
    activationWidth += units;
  });
  const parts: MemoryPart[] = [];
  if (largest.index >= 0) {
    parts.push({
      what: `parameters (the largest layer: ${largest.inputs} × ${largest.units} weights)`,
      key: layerKey(model, configs, largest.index, largest.units >= largest.inputs),
      bytes: parameters * F64 * PARAMETER_COPIES,
      fix: "use fewer units",
    });
  }
  const stepRows = batchSize * ACTIVATION_COPIES;
  const evaluationRows = EVALUATION_ROWS * EVALUATION_COPIES;
  const bytes = (stepRows + evaluationRows) * activationWidth * F64;
  // Named by what makes them large: the batch, or the widest layer.
  parts.push(stepRows > evaluationRows || widest.index < 0
    ? { what: `activations of ${batchSize}-sample steps`, key: ["training", "batchSize"], bytes, fix: "use a smaller batch" }
    : { what: `activations (the widest layer: ${widest.units} units)`, key: layerKey(model, configs, widest.index, true), bytes, fix: "use fewer units" });
  return parts;
}

function linearUnits(config: LayerConfig): number | undefined {
  return config.type === "linear" && typeof config["units"] === "number" ? config["units"] : undefined;
}

/**
 * The key that sizes the larger side of linear layer `index`: its own units, or those of the linear
 * layer before it (its inputs); the data's dimension or class count when that side is not settable.
 */
function layerKey(model: ModelSpec, configs: readonly LayerConfig[], index: number, ownIsLarger: boolean): SpecPath {
  const linear = configs.slice(0, index + 1).filter((c) => linearUnits(c) !== undefined).length - 1;
  const keyOf = (j: number): SpecPath | undefined => {
    if (j < 0) return undefined;
    if (model.layers === undefined) return j < model.hidden.length ? ["model", "hidden", j] : undefined;
    const at = model.layers.map((layer, i) => (layer.type === "linear" ? i : -1)).filter((i) => i >= 0)[j];
    return at === undefined ? undefined : ["model", "layers", at, "units"];
  };
  const [first, second] = ownIsLarger ? [keyOf(linear), keyOf(linear - 1)] : [keyOf(linear - 1), keyOf(linear)];
  return first ?? second ?? ["data"];
}

/** The memory this process may use: the machine's, or its control group's limit when lower. */
export function memoryLimit(): number {
  let limit = totalmem();
  for (const file of ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]) {
    try {
      const value = Number(readFileSync(file, "utf8").trim());
      if (Number.isFinite(value) && value > 0) limit = Math.min(limit, value);
    } catch {
      // not a cgroup of that version
    }
  }
  return limit;
}

const GIB = 1024 ** 3;

/** A run that would not fit in `limit` bytes, as one issue at the key of its largest part. */
export function checkRunMemory(spec: ResolvedSpec, limit: number = memoryLimit()): PathIssue[] {
  const estimate = estimateRunMemory(spec);
  if (estimate.bytes <= 0.9 * limit) return [];
  const largest = estimate.parts.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const size = (bytes: number): string => `${(bytes / GIB).toFixed(1)} GiB`;
  const fix = largest.fix === "" ? "" : `; ${largest.fix}`;
  return [{
    path: largest.key,
    message: `the run needs about ${size(estimate.bytes)} (${largest.what}: ${size(largest.bytes)}), more than the ${size(limit)} this machine has${fix}`,
  }];
}
