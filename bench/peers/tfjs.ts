/**
 * TensorFlow.js peer (float32, as tfjs is): the same step — 3072 → 50 → 30 → 10 with batch norm
 * and ReLU, batch 100, softmax cross-entropy, SGD momentum — on the cpu backend and on the wasm
 * backend (single-threaded; SIMD when the runtime has it). Loaded at run time only: nothing in the
 * packages depends on tfjs, and a missing install turns into a "skipped" line.
 */
import { createRequire } from "node:module";
import type * as TfModule from "@tensorflow/tfjs";
import { summarize } from "../timing.js";
import type { PeerResult } from "./peer.js";

type Tf = typeof TfModule;
type Tensor2D = TfModule.Tensor2D;
type Variable = TfModule.Variable;

const require = createRequire(import.meta.url);
const INSTALL = "npm install -D @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0";

export type TfBackendName = "cpu" | "wasm";

/** One backend's model, optimizer and input batches, created while that backend is active. */
export interface TfStepper {
  readonly backend: TfBackendName;
  readonly detail: string;
  step(): void;
  dispose(): void;
}

export interface TfPeer {
  readonly tf: Tf;
  readonly version: string;
  /** Backends that initialized, and why the others did not. */
  readonly backends: TfBackendName[];
  readonly failures: Map<TfBackendName, string>;
}

/** Loads tfjs (cpu) and registers the wasm backend; null with a reason when not installed. */
export async function loadTfjs(): Promise<TfPeer | { skipped: string }> {
  let tf: Tf;
  try {
    tf = silently(() => require("@tensorflow/tfjs") as Tf);
  } catch (error) {
    return { skipped: `skipped: @tensorflow/tfjs is not installed (${firstLine(error)}). Install: ${INSTALL}` };
  }
  const backends: TfBackendName[] = [];
  const failures = new Map<TfBackendName, string>();
  if (await tf.setBackend("cpu")) backends.push("cpu");
  else failures.set("cpu", "the cpu backend did not initialize");
  try {
    require("@tensorflow/tfjs-backend-wasm");
    // One thread, as every implementation in this table.
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    if (await tf.setBackend("wasm")) backends.push("wasm");
    else failures.set("wasm", "the wasm backend did not initialize");
  } catch (error) {
    failures.set("wasm", `@tensorflow/tfjs-backend-wasm: ${firstLine(error)}. Install: ${INSTALL}`);
  }
  return { tf, version: tf.version.tfjs, backends, failures };
}

/** Creates the model and 10 random batches on `backend` (which becomes active). */
export async function tfStepper(peer: TfPeer, backend: TfBackendName, seed = 1): Promise<TfStepper> {
  const { tf } = peer;
  await tf.setBackend(backend);
  const simd = backend === "wasm" ? ((await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) as boolean) : false;
  // The cpu backend greets Node users on its first write; keep the report clean.
  return silently(() => build(tf, backend, simd, seed));
}

function build(tf: Tf, backend: TfBackendName, simd: boolean, seed: number): TfStepper {
  const he = (rows: number, cols: number, s: number): Variable =>
    tf.variable(tf.randomNormal([rows, cols], 0, Math.sqrt(2 / rows), "float32", seed + s));
  const vec = (n: number, value: number): Variable => tf.variable(tf.fill([n], value, "float32"));
  const W1 = he(3072, 50, 1), b1 = vec(50, 0), g1 = vec(50, 1), be1 = vec(50, 0);
  const W2 = he(50, 30, 2), b2 = vec(30, 0), g2 = vec(30, 1), be2 = vec(30, 0);
  const W3 = he(30, 10, 3), b3 = vec(10, 0);
  const vars = [W1, b1, g1, be1, W2, b2, g2, be2, W3, b3];
  const xs: Tensor2D[] = [];
  const ys: Tensor2D[] = [];
  for (let i = 0; i < 10; i++) {
    xs.push(tf.randomNormal([100, 3072], 0, 1, "float32", seed * 100 + i));
    ys.push(tf.tidy(() => tf.oneHot(tf.randomUniform([100], 0, 10, "int32", seed * 200 + i), 10).toFloat() as Tensor2D));
  }
  const bnRelu = (h: Tensor2D, gamma: Variable, beta: Variable): Tensor2D => {
    const { mean, variance } = tf.moments(h, 0);
    return tf.relu(tf.batchNorm(h, mean, variance, beta, gamma, 1e-5)) as Tensor2D;
  };
  const optimizer = tf.train.momentum(0.03, 0.8);
  let i = 0;
  return {
    backend,
    detail: backend === "wasm" ? `wasm backend, 1 thread, SIMD ${simd ? "on" : "off"}` : "cpu backend (plain JS)",
    step() {
      const x = xs[i % xs.length];
      const y = ys[i % ys.length];
      i++;
      optimizer.minimize(
        () => {
          const h1 = bnRelu(tf.add(tf.matMul(x, W1), b1), g1, be1);
          const h2 = bnRelu(tf.add(tf.matMul(h1, W2), b2), g2, be2);
          const logits = tf.add(tf.matMul(h2, W3), b3);
          return tf.losses.softmaxCrossEntropy(y, logits) as TfModule.Scalar;
        },
        false,
        vars,
      );
    },
    dispose() {
      optimizer.dispose();
      for (const t of [...vars, ...xs, ...ys]) t.dispose();
    },
  };
}

/** Times `steps` steps after `warmup` on a stepper (its backend made active first). */
export async function timeTfSteps(peer: TfPeer, stepper: TfStepper, steps: number, warmup: number): Promise<number[]> {
  await peer.tf.setBackend(stepper.backend);
  for (let k = 0; k < warmup; k++) stepper.step();
  const ms: number[] = [];
  for (let k = 0; k < steps; k++) {
    const t0 = performance.now();
    stepper.step();
    ms.push(performance.now() - t0);
  }
  return ms;
}

export function tfResult(peer: TfPeer, stepper: TfStepper, samples: number[]): PeerResult {
  return { name: `TensorFlow.js ${stepper.backend}, float32`, ms: summarize(samples), detail: `tfjs ${peer.version}, ${stepper.detail}` };
}

export function tfSkipped(name: string, reason: string): PeerResult {
  return { name, detail: "", skipped: reason };
}

/** Runs `fn` with console output muted. */
function silently<T>(fn: () => T): T {
  const { log, warn, info } = console;
  const quiet = (): void => undefined;
  console.log = quiet;
  console.warn = quiet;
  console.info = quiet;
  try {
    return fn();
  } finally {
    console.log = log;
    console.warn = warn;
    console.info = info;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}
