import { instantiateKernels, PAGE_BYTES, type KernelExports, type WasmMemory } from "./module.js";
import { RegionAllocator } from "./regions.js";

/** The one instance of the kernels in this process, with the memory every wasm buffer lives in. */
export interface WasmRuntime {
  readonly kernels: KernelExports;
  readonly memory: WasmMemory;
  /** A view of the whole memory; never detached, because the memory cannot grow. */
  readonly heap: Float64Array;
  /** Hands out the ranges above the module's static data to arenas and scratch. */
  readonly regions: RegionAllocator;
}

const MIB = 1024 * 1024;
// Pages are only virtual until touched, so reserve generously; smaller sizes are tried if the
// operating system refuses (e.g. a small container with strict overcommit).
const DEFAULT_MEMORY_MIB = [1024, 512, 256];
export const MEMORY_ENV = "GRADSPEC_WASM_MEMORY_MB";

type LoadState = { readonly runtime: WasmRuntime } | { readonly reason: string };
let state: LoadState | undefined;

function requestedSizes(): number[] {
  const text = process.env[MEMORY_ENV];
  if (text === undefined || text === "") return DEFAULT_MEMORY_MIB;
  const mib = Number(text);
  if (!Number.isInteger(mib) || mib < 1 || mib > 4095) {
    throw new Error(`${MEMORY_ENV} must be a whole number of MiB from 1 to 4095, got "${text}"`);
  }
  return [mib];
}

function load(): LoadState {
  let sizes: number[];
  try {
    sizes = requestedSizes();
  } catch (error) {
    return { reason: message(error) };
  }
  const failures: string[] = [];
  for (const mib of sizes) {
    try {
      const { exports, memory } = instantiateKernels(Math.ceil((mib * MIB) / PAGE_BYTES) * PAGE_BYTES);
      const heap = new Float64Array(memory.buffer);
      const regions = new RegionAllocator(Math.max(PAGE_BYTES, exports.heapBase()), memory.buffer.byteLength);
      return { runtime: { kernels: exports, memory, heap, regions } };
    } catch (error) {
      // RangeError: this size could not be reserved; anything else will not improve with a smaller one.
      if (!(error instanceof RangeError)) return { reason: `cannot instantiate the WebAssembly kernels: ${message(error)}` };
      failures.push(`${mib} MiB: ${message(error)}`);
    }
  }
  return { reason: `cannot reserve the WebAssembly memory (${failures.join("; ")})` };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function loaded(): LoadState {
  state ??= load();
  return state;
}

/** The kernels, compiled and instantiated on first use; null if this runtime cannot run them. */
export function wasmRuntime(): WasmRuntime | null {
  const current = loaded();
  return "runtime" in current ? current.runtime : null;
}

/** Why `wasmRuntime()` is null, or null if the kernels loaded. */
export function wasmUnavailableReason(): string | null {
  const current = loaded();
  return "reason" in current ? current.reason : null;
}

export function requireWasmRuntime(): WasmRuntime {
  const current = loaded();
  if ("reason" in current) throw new Error(`WebAssembly kernels unavailable: ${current.reason}`);
  return current.runtime;
}
