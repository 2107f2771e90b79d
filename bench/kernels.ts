/**
 * Plain vs WebAssembly SIMD vs native (OpenBLAS) kernels, GFLOP/s (best and median of REPS timed
 * runs, interleaved in one process so host noise hits all alike). Wasm runs on arena buffers (no
 * copy); `wasmCopy` is the same product on ordinary Float64Arrays, copied into wasm memory per call;
 * native reads ordinary Float64Arrays in place (one BLAS thread unless GRADSPEC_BLAS_THREADS).
 * Run alone: `npx tsx bench/kernels.ts`.
 */
import { pathToFileURL } from "node:url";
import { gemmPlain } from "../packages/autograd/src/kernels/plain.js";
import { wasmBackend, WasmArena } from "../packages/autograd/src/kernels/wasm/index.js";
import { nativeBackend } from "../packages/autograd/src/kernels/native/index.js";

export interface Stat {
  best: number;
  median: number;
}

export interface Row {
  name: string;
  shape: string;
  plainGflops: Stat;
  wasmGflops: Stat;
  wasmCopyGflops: Stat;
  /** Null without the native backend. */
  nativeGflops: Stat | null;
  /** wasm median / plain median. */
  ratio: number;
}

interface Case {
  name: string;
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
}

const REPS = 15;
const WARMUP = 2;

const CASES: Case[] = [
  { name: "fwd Y=X·W (NN)", transA: false, transB: false, m: 100, n: 50, k: 3072 },
  { name: "dW=Xᵀ·dY (TN)", transA: true, transB: false, m: 3072, n: 50, k: 100 },
  { name: "dX=dY·Wᵀ (NT)", transA: false, transB: true, m: 100, n: 3072, k: 50 },
  { name: "512³ NN", transA: false, transB: false, m: 512, n: 512, k: 512 },
  { name: "512³ TN", transA: true, transB: false, m: 512, n: 512, k: 512 },
  { name: "512³ NT", transA: false, transB: true, m: 512, n: 512, k: 512 },
];

function fillRandom(x: Float64Array, seed: number): Float64Array {
  let s = seed >>> 0;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 32 - 0.5;
  }
  return x;
}

function stat(seconds: number[], flops: number): Stat {
  const sorted = [...seconds].sort((p, q) => p - q);
  const median = sorted[Math.floor(sorted.length / 2)];
  return { best: flops / sorted[0] / 1e9, median: flops / median / 1e9 };
}

function shapeOf(c: Case): string {
  const a = c.transA ? `${c.k}×${c.m}ᵀ` : `${c.m}×${c.k}`;
  const b = c.transB ? `${c.n}×${c.k}ᵀ` : `${c.k}×${c.n}`;
  return `(${a})·(${b})`;
}

async function pause(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

export async function benchKernels(): Promise<Row[]> {
  const wasm = wasmBackend();
  if (wasm === null) throw new Error("benchKernels: the WebAssembly kernels cannot load");
  const native = nativeBackend();
  const rows: Row[] = [];
  for (const c of CASES) {
    const { transA, transB, m, n, k } = c;
    const arena = new WasmArena((m * k + k * n + m * n) * 8 + 4096);
    try {
      const a = fillRandom(new Float64Array(m * k), 1);
      const b = fillRandom(new Float64Array(k * n), 2);
      const out = new Float64Array(m * n);
      const wa = arena.allocate(m * k);
      const wb = arena.allocate(k * n);
      const wc = arena.allocate(m * n);
      wa.set(a);
      wb.set(b);
      const runs = {
        plain: () => gemmPlain(transA, transB, m, n, k, a, b, out, false),
        wasm: () => wasm.gemm(transA, transB, m, n, k, wa, wb, wc, false),
        wasmCopy: () => wasm.gemm(transA, transB, m, n, k, a, b, out, false),
        native: () => native?.gemm(transA, transB, m, n, k, a, b, out, false),
      };
      const times: Record<keyof typeof runs, number[]> = { plain: [], wasm: [], wasmCopy: [], native: [] };
      const keys = native === null ? (["plain", "wasm", "wasmCopy"] as const) : (["plain", "wasm", "wasmCopy", "native"] as const);
      for (let rep = 0; rep < WARMUP + REPS; rep++) {
        for (const key of keys) {
          const t0 = performance.now();
          runs[key]();
          const seconds = (performance.now() - t0) / 1000;
          if (rep >= WARMUP) times[key].push(seconds);
        }
        await pause();
      }
      const flops = 2 * m * n * k;
      const plainGflops = stat(times.plain, flops);
      const wasmGflops = stat(times.wasm, flops);
      rows.push({
        name: c.name,
        shape: shapeOf(c),
        plainGflops,
        wasmGflops,
        wasmCopyGflops: stat(times.wasmCopy, flops),
        nativeGflops: native === null ? null : stat(times.native, flops),
        ratio: wasmGflops.median / plainGflops.median,
      });
    } finally {
      arena.dispose();
    }
  }
  return rows;
}

export function formatRows(rows: Row[]): string {
  const cell = (s: Stat): string => `${s.best.toFixed(2)} / ${s.median.toFixed(2)}`;
  const header = ["case", "shape", "plain best/med", "wasm best/med", "wasm+copy best/med", "native best/med", "wasm ÷ plain (med)"];
  const body = rows.map((r) => [r.name, r.shape, cell(r.plainGflops), cell(r.wasmGflops), cell(r.wasmCopyGflops), r.nativeGflops === null ? "—" : cell(r.nativeGflops), `${r.ratio.toFixed(1)}×`]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((x, i) => x.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchKernels();
  console.log(`GFLOP/s, best / median of ${REPS} reps (Node ${process.version})`);
  console.log(formatRows(rows));
}
