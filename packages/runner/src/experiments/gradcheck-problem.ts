/**
 * The gradient-check case of a spec at one λ — the batch, the network in training mode and its cost —
 * as a problem module: the experiment builds it, and so does each worker thread that shares the
 * check (`gradcheckInWorkers`).
 */
import { Tensor, type GradcheckProblem } from "@gradspec/autograd";
import { lossAndCost, type Sequential } from "@gradspec/nn";
import { fillBatch, fillLabels } from "../data/batch.js";
import { loadSpecData } from "../data/from-spec.js";
import { buildModel } from "../model.js";
import type { GradcheckSpec } from "../spec/types.js";

export interface GradcheckCaseArgs {
  spec: GradcheckSpec;
  specDir: string;
  lambda: number;
}

export interface GradcheckCase extends GradcheckProblem {
  x: Tensor;
  labels: Int32Array;
  model: Sequential;
}

export function gradcheckCase({ spec, specDir, lambda }: GradcheckCaseArgs): GradcheckCase {
  const g = spec.gradcheck;
  const data = loadSpecData(spec.data, specDir);
  const rows = Math.min(g.batch, data.train.count);
  const indices = Int32Array.from({ length: rows }, (_, i) => i);
  const x = Tensor.zeros([rows, data.train.dim]);
  const labels = new Int32Array(rows);
  fillBatch(data.train, indices, data.standardizer, x.data);
  fillLabels(data.train, indices, labels);
  const model = buildModel(spec.model, spec.training.seed);
  const f = (): Tensor => lossAndCost(model, x, labels, lambda, { training: true, holdRandomness: true }).cost;
  return { f, params: model.paramRecord(), x, labels, model };
}

export const gradcheckProblem = gradcheckCase;

/** This module's own file, for worker threads: the sources' .ts, or the bundle's gradcheck-problem.js. */
export function gradcheckProblemModule(): URL {
  return import.meta.url.endsWith(".ts") ? new URL(import.meta.url) : new URL("./gradcheck-problem.js", import.meta.url);
}
