import { setBackend, type Backend } from "./backend.js";
import { plainBackend } from "./plain.js";
import { wasmBackend, wasmUnavailableReason } from "./wasm/index.js";
import { nativeBackend, nativeUnavailableReason } from "./native/index.js";

export type KernelsName = "plain" | "wasm" | "native";
export const KERNEL_NAMES: readonly string[] = ["plain", "wasm", "native"];

export interface BackendSelection {
  readonly name: KernelsName;
  readonly backend: Backend;
  /** Why this backend was chosen, for logs. */
  readonly reason: string;
}

export const KERNELS_ENV = "GRADSPEC_KERNELS";

let warned = false;

/**
 * Picks the kernels: `GRADSPEC_KERNELS=plain|wasm|native` forces one (forcing one that cannot load
 * throws, saying why); otherwise the fastest that loads — native (OpenBLAS), then wasm, then plain
 * with one warning saying why.
 */
export function selectBackend(request: string | undefined = process.env[KERNELS_ENV]): BackendSelection {
  const forced = request === undefined || request === "" ? undefined : request.trim().toLowerCase();
  if (forced === "plain") return { name: "plain", backend: plainBackend, reason: `${KERNELS_ENV}=plain` };
  if (forced !== undefined && forced !== "wasm" && forced !== "native") {
    throw new Error(`${KERNELS_ENV} must be "plain", "wasm" or "native", got "${request}"`);
  }
  if (forced !== "wasm") {
    const native = nativeBackend();
    if (native !== null) return { name: "native", backend: native, reason: forced === "native" ? `${KERNELS_ENV}=native` : "native OpenBLAS kernels built" };
    if (forced === "native") throw new Error(`${KERNELS_ENV}=native but the native kernels cannot load: ${nativeUnavailableReason() ?? "unknown reason"}`);
  }
  const wasm = wasmBackend();
  if (wasm !== null) {
    return { name: "wasm", backend: wasm, reason: forced === "wasm" ? `${KERNELS_ENV}=wasm` : `WebAssembly SIMD available; native kernels: ${nativeUnavailableReason() ?? "not tried"}` };
  }
  const why = wasmUnavailableReason() ?? "unknown reason";
  if (forced === "wasm") throw new Error(`${KERNELS_ENV}=wasm but the WebAssembly kernels cannot load: ${why}`);
  if (!warned) {
    warned = true;
    process.emitWarning(`gradspec: using the plain kernels because the WebAssembly kernels cannot load: ${why}`);
  }
  return { name: "plain", backend: plainBackend, reason: `WebAssembly kernels unavailable: ${why}` };
}

/** `selectBackend()` and make the result the active backend. */
export function useBestBackend(request?: string): BackendSelection {
  const selection = selectBackend(request);
  setBackend(selection.backend);
  return selection;
}
