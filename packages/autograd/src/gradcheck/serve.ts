import type { MessagePort } from "node:worker_threads";
import { KERNEL_NAMES, useBestBackend } from "../kernels/select.js";
import { numericElements, scalarOf, type ElementOptions } from "../gradcheck.js";
import { loadProblem, type GradcheckProblemModule } from "./problem.js";

export interface GradcheckWorkerData {
  problem: GradcheckProblemModule;
  values: Record<string, Float64Array>;
  options: ElementOptions;
  /** The autograd entry the caller runs (sources or build): the worker loads the same one. */
  entry: string;
  /** The caller's kernels (`Backend.name`), which the worker uses too, so their roundings agree. */
  kernels: string;
  /** tsx's ESM API, when the problem or the entry is TypeScript. */
  tsx?: string;
}

export interface GradcheckTask {
  id: number;
  name: string;
  offsets: Int32Array;
}

export type GradcheckAnswer = { id: number; numeric: Float64Array } | { id: number; error: string };

/**
 * The body of a gradient-check worker thread (gradcheck/worker.ts starts it): builds the problem,
 * takes the caller's parameter values, and answers each task (one parameter, a list of element
 * offsets) with the numerical derivatives there. Not for other use.
 */
export async function serveGradcheckWorker(port: MessagePort, data: GradcheckWorkerData): Promise<void> {
  useBestBackend(KERNEL_NAMES.includes(data.kernels) ? data.kernels : undefined);
  const { f, params } = await loadProblem(data.problem);
  for (const [name, values] of Object.entries(data.values)) {
    const param = params[name];
    if (param === undefined || param.size !== values.length) throw new Error(`gradcheck worker: the problem's ${name} does not match the caller's`);
    param.data.set(values);
  }
  const evaluate = scalarOf(f, params);
  port.on("message", (task: GradcheckTask) => {
    let answer: GradcheckAnswer;
    try {
      answer = { id: task.id, numeric: numericElements(task.name, params[task.name], evaluate, task.offsets, data.options) };
    } catch (error) {
      answer = { id: task.id, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(answer);
  });
  port.postMessage({ ready: true });
}
