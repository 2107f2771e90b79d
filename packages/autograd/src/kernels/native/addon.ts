import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";

/** The functions of native/gradspec_native.c. */
export interface NativeAddon {
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array, accumulate: boolean): void;
  standardizeBytes(src: Uint8Array, rows: Int32Array, dim: number, mean: Float64Array, std: Float64Array, out: Float64Array): void;
  momentumStep(rule: number, theta: Float64Array, grad: Float64Array, v: Float64Array, eta: number, rho: number, decay: number): void;
  binary(op: number, a: Float64Array, b: Float64Array, out: Float64Array, mode: number, inner: number): void;
  unary(op: number, x: Float64Array, out: Float64Array): void;
  reluBackward(x: Float64Array, dy: Float64Array, out: Float64Array): void;
  sumInto(grad: Float64Array, target: Float64Array, mode: number, inner: number): void;
  moments(x: Float64Array, rows: number, cols: number, mean: Float64Array, variance: Float64Array): void;
  meanBackward(rows: number, cols: number, dMean: Float64Array, g: Float64Array): void;
  varianceBackward(x: Float64Array, rows: number, cols: number, mean: Float64Array, dVariance: Float64Array, g: Float64Array): void;
  setThreads(threads: number): void;
  threads(): number;
}

export const BLAS_THREADS_ENV = "GRADSPEC_BLAS_THREADS";
export const ADDON_ENV = "GRADSPEC_NATIVE_ADDON";

export type AddonLoad = { readonly addon: NativeAddon } | { readonly reason: string };

const ADDON_IN_PACKAGE = "native/build/Release/gradspec_native.node";

/**
 * Where `npm ci` builds the addon: native/build/Release of the autograd package, found from this
 * module (in src/ or dist/) or, when this code was bundled elsewhere (the sweep's worker bundles
 * under node_modules/.cache), through the installed package.
 */
export function defaultAddonPath(): string {
  const up = import.meta.url.endsWith(".ts") ? "../../../" : "../";
  const own = fileURLToPath(new URL(`${up}${ADDON_IN_PACKAGE}`, import.meta.url));
  if (existsSync(own)) return own;
  try {
    const entry = fileURLToPath(import.meta.resolve("@gradspec/autograd"));
    const installed = join(dirname(entry), "..", ADDON_IN_PACKAGE);
    if (existsSync(installed)) return installed;
  } catch {
    // Not installed as a package: the path next to this module is the one to report.
  }
  return own;
}

/**
 * Loads the addon at `path` and sets OpenBLAS's threads: 1 unless GRADSPEC_BLAS_THREADS says more,
 * and always 1 on a worker thread (sweep trials run one per core; more BLAS threads would fight them).
 */
export function loadAddon(path: string = process.env[ADDON_ENV] ?? defaultAddonPath()): AddonLoad {
  if (!existsSync(path)) return { reason: `${path} is not built (needs a C compiler and libopenblas-dev when npm ci runs)` };
  let threads: number;
  try {
    threads = blasThreads();
  } catch (error) {
    return { reason: message(error) };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    addon.setThreads(threads);
    return { addon };
  } catch (error) {
    return { reason: `cannot load ${path}: ${message(error).split("\n")[0]}` };
  }
}

function blasThreads(): number {
  const text = process.env[BLAS_THREADS_ENV];
  if (!isMainThread || text === undefined || text === "") return 1;
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`${BLAS_THREADS_ENV} must be a whole number ≥ 1, got "${text}"`);
  return threads;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
