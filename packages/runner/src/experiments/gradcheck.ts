import { dirname } from "node:path";
import { Tensor, gradcheck, valueAndGrad } from "@gradspec/autograd";
import { encodeSafetensors, lossAndCost, type TensorInput } from "@gradspec/nn";
import { fillBatch, fillLabels } from "../data/batch.js";
import { loadSpecData } from "../data/from-spec.js";
import { buildModel } from "../model.js";
import type { GradcheckCase, RunSummary } from "../run/summary.js";
import type { GradcheckSpec } from "../spec/types.js";
import { ElementErrorRecorder } from "./gradcheck-errors.js";
import type { ExperimentContext } from "./train.js";

/**
 * The report's §1: the network's analytic gradients against centered differences on a batch of the
 * training set, in training mode, once per λ. Also writes the case (parameters, batch, labels and
 * analytic gradients) as safetensors so it can be re-checked in another framework.
 */
export function runGradcheck(spec: GradcheckSpec, ctx: ExperimentContext): Pick<RunSummary, "status" | "message" | "gradcheck"> {
  const g = spec.gradcheck;
  const data = loadSpecData(spec.data, dirname(ctx.specFile));
  const rows = Math.min(g.batch, data.train.count);
  const indices = Int32Array.from({ length: rows }, (_, i) => i);
  const x = Tensor.zeros([rows, data.train.dim]);
  const labels = new Int32Array(rows);
  fillBatch(data.train, indices, data.standardizer, x.data);
  fillLabels(data.train, indices, labels);
  const caseTensors: Record<string, TensorInput> = { "batch.x": { shape: x.shape, data: x.data }, "batch.labels": { shape: [rows], data: labels } };
  const cases: GradcheckCase[] = [];
  let architecture = "";
  g.lambdas.forEach((lambda, li) => {
    const model = buildModel(spec.model, spec.training.seed);
    architecture = JSON.stringify(model.describe());
    const params = model.paramRecord();
    if (li === 0) for (const [name, t] of Object.entries(params)) caseTensors[`param.${name}`] = { shape: t.shape, data: Float64Array.from(t.data) };
    const cost = () => lossAndCost(model, x, labels, lambda, { training: true }).cost;
    const { grads } = valueAndGrad(cost)(params);
    for (const [name, t] of Object.entries(grads)) caseTensors[`grad.lambda${li}.${name}`] = { shape: t.shape, data: t.data };
    ctx.progress.log(`gradcheck λ = ${lambda}: ${describeMode(g)} of ${Object.keys(params).join(", ")}`);
    const started = performance.now();
    const recorder = g.mode === "all" ? new ElementErrorRecorder(params, g.parameters) : undefined;
    const report = gradcheck(recorder === undefined ? cost : recorder.watch(cost), params, {
      h: g.h,
      eps: g.eps,
      mode: g.mode,
      directions: g.directions,
      ...(g.sample === undefined ? {} : { sample: g.sample }),
      seed: spec.training.seed,
      ...(g.parameters === undefined ? {} : { only: g.parameters }),
    });
    const seconds = (performance.now() - started) / 1000;
    for (const p of report.parameters) {
      ctx.progress.log(`  ${p.name.padEnd(8)} max ${p.max.toExponential(3)}  mean ${p.mean.toExponential(3)}  var ${p.variance.toExponential(3)}  ${g.mode === "random" ? `worst direction ${p.worstIndex[0]}` : `worst [${p.worstIndex.join(", ")}]`}`);
    }
    const errors = recorder?.distributions(report.parameters, grads, g.h, g.eps);
    cases.push({
      lambda, batch: rows, mode: g.mode, ...(g.sample === undefined ? {} : { sample: g.sample }), h: g.h, eps: g.eps, parameters: report.parameters, seconds,
      ...(errors === undefined || errors.length === 0 ? {} : { errors }),
    });
  });
  ctx.folder.write(
    "gradcheck-case.safetensors",
    encodeSafetensors(caseTensors, {
      "gradspec.architecture": architecture,
      "gradspec.lambdas": JSON.stringify(g.lambdas),
      "gradspec.loss": "mean softmax cross-entropy + lambda * sum of squared weight matrices; batch norm in training mode",
      "gradspec.layout": "x is n×d row-major (samples are rows); W is in×out",
    }),
  );
  const exceeded = g.tolerance === undefined ? [] : toleranceFailures(cases, g.tolerance);
  if (exceeded.length > 0) return { status: "failed", message: exceeded.join("; "), gradcheck: { cases } };
  return { status: "completed", gradcheck: { cases } };
}

/** "W1 at λ = 0: max 3.2e-4 above gradcheck.tolerance.max 1e-5", one per parameter and bound exceeded. */
function toleranceFailures(cases: readonly GradcheckCase[], tolerance: { max?: number; mean?: number }): string[] {
  const failures: string[] = [];
  for (const c of cases) {
    for (const p of c.parameters) {
      for (const bound of ["max", "mean"] as const) {
        const limit = tolerance[bound];
        // NaN fails too: an error that cannot be computed is no pass.
        if (limit !== undefined && !(p[bound] <= limit)) failures.push(`${p.name} at λ = ${c.lambda}: ${bound} ${p[bound].toExponential(2)} above gradcheck.tolerance.${bound} ${limit}`);
      }
    }
  }
  return failures;
}

function describeMode(g: GradcheckSpec["gradcheck"]): string {
  if (g.mode === "random") return `${g.directions} random directions per parameter`;
  return g.sample === undefined ? "every element" : `up to ${g.sample} sampled elements per parameter`;
}
