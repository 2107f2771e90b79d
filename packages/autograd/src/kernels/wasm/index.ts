import type { Backend } from "../backend.js";
import { createWasmBackend } from "./backend.js";
import { wasmRuntime } from "./runtime.js";

export { WasmArena, DEFAULT_ARENA_BYTES } from "./arena.js";
export { wasmUnavailableReason, MEMORY_ENV } from "./runtime.js";

let instance: Backend | null | undefined;

/** The WebAssembly SIMD backend, loaded on first call; null if it cannot load (see `wasmUnavailableReason()`). */
export function wasmBackend(): Backend | null {
  if (instance === undefined) {
    const runtime = wasmRuntime();
    instance = runtime === null ? null : createWasmBackend(runtime);
  }
  return instance;
}
