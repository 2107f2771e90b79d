import type { Tensor } from "../tensor.js";

/** A function of named parameters and the parameters, as a gradient check takes them. */
export interface GradcheckProblem {
  f(params: Record<string, Tensor>): Tensor;
  params: Record<string, Tensor>;
}

/**
 * Where worker threads find the problem: a module (file URL or path) whose export `exportName`
 * (default "gradcheckProblem") is a function of `args` returning a `GradcheckProblem`. Every worker
 * builds its own copy; the parameters' values are then set to the caller's, so the copies agree even
 * if building draws random numbers differently.
 */
export interface GradcheckProblemModule {
  module: string | URL;
  exportName?: string;
  /** Passed to the export; must survive structured cloning. */
  args?: unknown;
}

export async function loadProblem(ref: GradcheckProblemModule): Promise<GradcheckProblem> {
  const exportName = ref.exportName ?? "gradcheckProblem";
  const url = moduleUrl(ref.module);
  const loaded: Record<string, unknown> = await import(url);
  const build = loaded[exportName];
  if (typeof build !== "function") throw new Error(`gradcheck: ${url} has no function export "${exportName}"`);
  const problem: unknown = await build(ref.args);
  if (!isProblem(problem)) throw new Error(`gradcheck: ${exportName}() of ${url} did not return { f, params }`);
  return problem;
}

export function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  return /^[a-z]+:/i.test(module) ? module : new URL(module, `file://${process.cwd()}/`).href;
}

function isProblem(x: unknown): x is GradcheckProblem {
  return typeof x === "object" && x !== null && typeof (x as GradcheckProblem).f === "function" && typeof (x as GradcheckProblem).params === "object";
}
