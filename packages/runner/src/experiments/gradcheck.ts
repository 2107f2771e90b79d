import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { gradcheck, gradcheckInWorkers, valueAndGrad, type GradcheckOptions, type GradcheckReport } from "@gradspec/autograd";
import { encodeSafetensors, type TensorInput } from "@gradspec/nn";
import type { GradcheckCase as CaseRecord, RunSummary } from "../run/summary.js";
import type { GradcheckSpec } from "../spec/types.js";
import { errorDistributions } from "./gradcheck-errors.js";
import { gradcheckCase, gradcheckProblemModule, type GradcheckCaseArgs } from "./gradcheck-problem.js";
import type { ExperimentContext } from "./train.js";

// Below this many elements, starting worker threads (each loads the data) costs more than it saves.
const WORKERS_FROM_ELEMENTS = 20_000;
export const GRADCHECK_WORKERS_ENV = "GRADSPEC_GRADCHECK_WORKERS";

/**
 * The report's §1: the network's analytic gradients against centered differences on a batch of the
 * training set, in training mode, once per λ; every element on every core when there are many. Also
 * writes the case (parameters, batch, labels and analytic gradients) as safetensors so it can be
 * re-checked in another framework.
 */
export async function runGradcheck(spec: GradcheckSpec, ctx: ExperimentContext): Promise<Pick<RunSummary, "status" | "message" | "gradcheck">> {
  const g = spec.gradcheck;
  const specDir = dirname(ctx.specFile);
  const caseTensors: Record<string, TensorInput> = {};
  const cases: CaseRecord[] = [];
  let architecture = "";
  for (const [li, lambda] of g.lambdas.entries()) {
    const args: GradcheckCaseArgs = { spec, specDir, lambda };
    const problem = gradcheckCase(args);
    const { x, labels, model, f, params } = problem;
    if (li === 0) {
      caseTensors["batch.x"] = { shape: x.shape, data: x.data };
      caseTensors["batch.labels"] = { shape: [labels.length], data: labels };
      for (const [name, t] of Object.entries(params)) caseTensors[`param.${name}`] = { shape: t.shape, data: Float64Array.from(t.data) };
    }
    architecture = JSON.stringify(model.describe());
    const { grads } = valueAndGrad(f)(params);
    for (const [name, t] of Object.entries(grads)) caseTensors[`grad.lambda${li}.${name}`] = { shape: t.shape, data: t.data };
    const options: GradcheckOptions = {
      h: g.h,
      eps: g.eps,
      mode: g.mode,
      directions: g.directions,
      ...(g.sample === undefined ? {} : { sample: g.sample }),
      seed: spec.training.seed,
      ...(g.parameters === undefined ? {} : { only: g.parameters }),
      // Every element's error, for the report's histograms and heatmaps.
      errors: g.mode === "all",
    };
    const workers = g.mode === "all" ? workerCount(elementsChecked(params, options)) : 1;
    ctx.progress.log(`gradcheck λ = ${lambda}: ${describeMode(g)} of ${Object.keys(params).join(", ")}${workers > 1 ? ` on ${workers} worker threads` : ""}`);
    const started = performance.now();
    const report: GradcheckReport =
      workers > 1 ? await gradcheckInWorkers({ module: gradcheckProblemModule(), args }, { ...options, workers }) : gradcheck(f, params, options);
    const seconds = (performance.now() - started) / 1000;
    for (const p of report.parameters) {
      ctx.progress.log(`  ${p.name.padEnd(8)} max ${p.max.toExponential(3)}  mean ${p.mean.toExponential(3)}  var ${p.variance.toExponential(3)}  ${g.mode === "random" ? `worst direction ${p.worstIndex[0]}` : `worst [${p.worstIndex.join(", ")}]`}`);
    }
    const errors = errorDistributions(report.parameters);
    // Each element's error goes into the distributions only; the summary keeps the statistics.
    const parameters = report.parameters.map(({ errors: _all, ...statistics }) => statistics);
    cases.push({
      lambda, batch: x.shape[0], mode: g.mode, ...(g.sample === undefined ? {} : { sample: g.sample }), h: g.h, eps: g.eps, parameters, seconds,
      ...(errors.length === 0 ? {} : { errors }),
    });
  }
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
function toleranceFailures(cases: readonly CaseRecord[], tolerance: { max?: number; mean?: number }): string[] {
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

/** GRADSPEC_GRADCHECK_WORKERS, else every core for a large check and this thread for a small one. */
function workerCount(elements: number): number {
  const text = process.env[GRADCHECK_WORKERS_ENV];
  if (text !== undefined && text !== "") {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${GRADCHECK_WORKERS_ENV} must be a whole number ≥ 1, got "${text}"`);
    return n;
  }
  return elements >= WORKERS_FROM_ELEMENTS ? availableParallelism() : 1;
}

function elementsChecked(params: Record<string, { size: number }>, options: GradcheckOptions): number {
  return Object.entries(params)
    .filter(([name]) => options.only === undefined || options.only.includes(name))
    .reduce((n, [, t]) => n + Math.min(t.size, options.sample ?? t.size), 0);
}

function describeMode(g: GradcheckSpec["gradcheck"]): string {
  if (g.mode === "random") return `${g.directions} random directions per parameter`;
  return g.sample === undefined ? "every element" : `up to ${g.sample} sampled elements per parameter`;
}
