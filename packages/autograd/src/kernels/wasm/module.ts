import { WASM_BASE64 } from "./binary.generated.js";

/** The functions the compiled kernels export; pointers are byte offsets into the shared memory. */
type Gemm = (a: number, b: number, c: number, m: number, n: number, k: number, accumulate: number, scratch: number) => void;

export interface KernelExports {
  gemmNN: Gemm;
  gemmTN: Gemm;
  gemmNT(a: number, b: number, c: number, m: number, n: number, k: number, accumulate: number): void;
  gemmTT: Gemm;
  gemmScratchBytes(transA: number, transB: number, m: number, n: number, k: number): number;
  standardizeBytes(src: number, rows: number, dim: number, mean: number, std: number, out: number): void;
  momentumStep(rule: number, theta: number, grad: number, v: number, n: number, eta: number, rho: number, decay: number): void;
  heapBase(): number;
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

// The subset of the WebAssembly JS API used here, typed locally: the project's lib (ES2022 + node)
// has no WebAssembly declarations, and a global ambient one would clash with lib.dom elsewhere.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
}

const EXPORTED = ["gemmNN", "gemmTN", "gemmNT", "gemmTT", "gemmScratchBytes", "standardizeBytes", "momentumStep", "heapBase"] as const;
export const PAGE_BYTES = 65536;

function webAssembly(): WebAssemblyApi {
  const api: unknown = Reflect.get(globalThis, "WebAssembly");
  if (typeof api !== "object" || api === null) throw new Error("this JavaScript runtime has no WebAssembly");
  return api as WebAssemblyApi;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Compiles the embedded kernels and instantiates them on a fresh memory of exactly `bytes` (a multiple
 * of 64 KiB). The maximum equals the initial size, so the memory can never grow and views on it are
 * never detached. Throws if the runtime lacks WebAssembly SIMD or cannot reserve the memory.
 */
export function instantiateKernels(bytes: number): { exports: KernelExports; memory: WasmMemory } {
  const api = webAssembly();
  const module = new api.Module(decodeBase64(WASM_BASE64));
  const pages = bytes / PAGE_BYTES;
  const memory = new api.Memory({ initial: pages, maximum: pages });
  const instance = new api.Instance(module, { env: { memory } });
  for (const name of EXPORTED) {
    if (typeof instance.exports[name] !== "function") throw new Error(`the kernel module does not export ${name}()`);
  }
  return { exports: instance.exports as unknown as KernelExports, memory };
}
