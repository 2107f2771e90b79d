import type { Backend } from "../backend.js";
import { createWasmBackend } from "./backend.js";
import { createWasmExtras, type WasmExtras } from "./extras.js";
import { wasmRuntime } from "./runtime.js";
import { Staging } from "./staging.js";

export { WasmArena, DEFAULT_ARENA_BYTES } from "./arena.js";
export { wasmUnavailableReason, MEMORY_ENV } from "./runtime.js";
export type { WasmExtras } from "./extras.js";

let instance: { backend: Backend; extras: WasmExtras } | null | undefined;

function loaded(): { backend: Backend; extras: WasmExtras } | null {
  if (instance === undefined) {
    const runtime = wasmRuntime();
    if (runtime === null) instance = null;
    else {
      const staging = new Staging(runtime);
      instance = { backend: createWasmBackend(runtime, staging), extras: createWasmExtras(runtime, staging) };
    }
  }
  return instance;
}

/** The WebAssembly SIMD backend, loaded on first call; null if it cannot load (see `wasmUnavailableReason()`). */
export function wasmBackend(): Backend | null {
  return loaded()?.backend ?? null;
}

/** The wasm module's other kernels (see `WasmExtras`); null when the wasm backend cannot load. */
export function wasmExtras(): WasmExtras | null {
  return loaded()?.extras ?? null;
}
