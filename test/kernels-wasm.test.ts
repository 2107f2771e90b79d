import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BufferPool, Tensor, matmul, setBackend, square, sum, valueAndGrad, withAllocator } from "@gradspec/autograd";
import type { Backend } from "../packages/autograd/src/kernels/backend.js";
import { gemmPlain, plainBackend } from "../packages/autograd/src/kernels/plain.js";
import { selectBackend } from "../packages/autograd/src/kernels/select.js";
import { WASM_SOURCE_HASH } from "../packages/autograd/src/kernels/wasm/binary.generated.js";
import { WasmArena, wasmBackend, wasmUnavailableReason } from "../packages/autograd/src/kernels/wasm/index.js";
import { RegionAllocator } from "../packages/autograd/src/kernels/wasm/regions.js";
import { wasmRuntime } from "../packages/autograd/src/kernels/wasm/runtime.js";

const wasm = wasmBackend();
if (wasm === null) console.warn(`kernels-wasm tests skipped: ${wasmUnavailableReason() ?? "unknown reason"}`);

/** Deterministic values of mixed sign and magnitude (2^-4 … 2^4), so cancellation happens. */
function randomArray(length: number, seed: number): Float64Array {
  const x = new Float64Array(length);
  let s = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = (u - 0.5) * 2 ** ((s >>> 28) - 7);
  }
  return x;
}

interface Case {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  accumulate: boolean;
  seed: number;
  /** Which operands live in the arena (zero-copy path) rather than in ordinary Float64Arrays. */
  inArena: { a: boolean; b: boolean; c: boolean };
}

/** |c − c_ref| ≤ 1e-12·(|c₀| + Σ_p |op(A)_ip|·|op(B)_pj|) per element: the error bound of any summation order. */
function expectClose(actual: Float64Array, expected: Float64Array, c: Case, a: Float64Array, b: Float64Array, c0: Float64Array): void {
  const { transA, transB, m, n, k, accumulate } = c;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let scale = accumulate ? Math.abs(c0[i * n + j]) : 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[p * m + i] : a[i * k + p];
        const y = transB ? b[j * k + p] : b[p * n + j];
        scale += Math.abs(x * y);
      }
      const error = Math.abs(actual[i * n + j] - expected[i * n + j]);
      if (!(error <= 1e-12 * scale)) {
        throw new Error(`C[${i},${j}] = ${actual[i * n + j]}, expected ${expected[i * n + j]} (error ${error}, bound ${1e-12 * scale}) for ${JSON.stringify(c)}`);
      }
    }
  }
}

/** Index of the first element where x and y differ (Object.is), or -1; vitest's toEqual is slow on long arrays. */
function firstDifference(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) return Math.min(x.length, y.length);
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

/** Runs one case on wasm and plain; NN and TN also match bit for bit (same order, no FMA). */
function checkGemm(backend: Backend, arena: WasmArena, c: Case): void {
  const { transA, transB, m, n, k, accumulate, seed, inArena } = c;
  arena.reset();
  const a = randomArray(m * k, seed);
  const b = randomArray(k * n, seed + 1);
  const c0 = randomArray(m * n, seed + 2);
  const place = (x: Float64Array, inside: boolean): Float64Array => {
    if (!inside) return x.slice();
    const view = arena.allocate(x.length);
    view.set(x);
    return view;
  };
  const wa = place(a, inArena.a);
  const wb = place(b, inArena.b);
  const wc = place(c0, inArena.c);
  const expected = c0.slice();
  gemmPlain(transA, transB, m, n, k, a, b, expected, accumulate);
  backend.gemm(transA, transB, m, n, k, wa, wb, wc, accumulate);
  expect(firstDifference(wa, a), "A was modified").toBe(-1);
  expect(firstDifference(wb, b), "B was modified").toBe(-1);
  if (!transB) expect(firstDifference(wc, expected), JSON.stringify(c)).toBe(-1);
  else expectClose(wc, expected, c, a, b, c0);
}

const caseArb = (maxDim: number): fc.Arbitrary<Case> =>
  fc.record({
    transA: fc.boolean(),
    transB: fc.boolean(),
    m: fc.integer({ min: 1, max: maxDim }),
    n: fc.integer({ min: 1, max: maxDim }),
    k: fc.integer({ min: 1, max: maxDim }),
    accumulate: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
    inArena: fc.record({ a: fc.boolean(), b: fc.boolean(), c: fc.boolean() }),
  });

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

describe.skipIf(wasm === null)("wasm kernels", () => {
  const backend = wasm ?? plainBackend;
  let arena: WasmArena;
  beforeAll(() => {
    arena = new WasmArena(64 * 1024 * 1024);
  });
  afterAll(() => arena.dispose());

  it("embeds the wasm built from the current assembly sources", () => {
    const script = fileURLToPath(new URL("../packages/autograd/assembly/build.mjs", import.meta.url));
    const result = spawnSync(process.execPath, [script, "--hash"], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim(), "stale binary: run `npm run build:wasm -w @gradspec/autograd`").toBe(WASM_SOURCE_HASH);
  });

  it("gemm matches gemmPlain on random shapes 1–70, all transposes, accumulate, in and out of the arena", () => {
    fc.assert(
      fc.property(caseArb(70), (c) => checkGemm(backend, arena, c)),
      { numRuns: 400 },
    );
  });

  it("gemm matches gemmPlain on small shapes exhaustively around the block edges (1–9)", () => {
    for (const [transA, transB] of TRANSPOSES) {
      for (let m = 1; m <= 9; m++) {
        for (let n = 1; n <= 9; n++) {
          for (const k of [1, 2, 3, 5, 8]) {
            const accumulate = (m + n + k) % 2 === 0;
            checkGemm(backend, arena, { transA, transB, m, n, k, accumulate, seed: m * 100 + n * 10 + k, inArena: { a: m % 2 === 0, b: n % 2 === 0, c: k % 2 === 0 } });
          }
        }
      }
    }
  });

  it("gemm matches gemmPlain at the MLP shapes and other large ones", () => {
    const shapes: [number, number, number][] = [
      [100, 50, 3072],
      [3072, 50, 100],
      [100, 3072, 50],
      [129, 67, 257],
      [256, 256, 64],
    ];
    let seed = 7;
    for (const [m, n, k] of shapes) {
      for (const [transA, transB] of TRANSPOSES) {
        for (const accumulate of [false, true]) {
          const inside = seed % 2 === 0;
          checkGemm(backend, arena, { transA, transB, m, n, k, accumulate, seed: seed++, inArena: { a: inside, b: !inside, c: inside } });
        }
      }
    }
  });

  it("gemm handles zero sizes: k = 0 gives zeros (or leaves C), m or n = 0 touches nothing", () => {
    for (const [transA, transB] of TRANSPOSES) {
      const c = new Float64Array([1, 2, 3, 4, 5, 6]);
      backend.gemm(transA, transB, 2, 3, 0, new Float64Array(0), new Float64Array(0), c, true);
      expect([...c]).toEqual([1, 2, 3, 4, 5, 6]);
      backend.gemm(transA, transB, 2, 3, 0, new Float64Array(0), new Float64Array(0), c, false);
      expect([...c]).toEqual([0, 0, 0, 0, 0, 0]);
      const untouched = new Float64Array([9]);
      backend.gemm(transA, transB, 0, 1, 4, new Float64Array(0), new Float64Array(4), untouched, false);
      backend.gemm(transA, transB, 1, 0, 4, new Float64Array(4), new Float64Array(0), untouched, false);
      expect([...untouched]).toEqual([9]);
    }
  });

  it("gemm reads only the used prefix of longer buffers and of subarray views", () => {
    const [m, n, k] = [5, 7, 6];
    const bigA = randomArray(m * k + 10, 1);
    const bigB = randomArray(k * n + 20, 2);
    const a = bigA.subarray(3, 3 + m * k + 4);
    const b = bigB.subarray(5);
    const c = new Float64Array(m * n + 3).fill(42);
    const expected = c.slice();
    gemmPlain(false, false, m, n, k, a, b, expected, false);
    backend.gemm(false, false, m, n, k, a, b, c, false);
    expect(c).toEqual(expected);
    expect(c[m * n]).toBe(42);
  });

  it("gemm rejects buffers shorter than the shape needs instead of reading or writing past them", () => {
    expect(() => backend.gemm(false, false, 4, 4, 4, new Float64Array(16), new Float64Array(16), arena.allocate(15), false)).toThrow(RangeError);
    expect(() => backend.gemm(false, true, 4, 4, 4, new Float64Array(15), new Float64Array(16), new Float64Array(16), false)).toThrow(RangeError);
  });

  it("matmul (NN, NT, TN, TT) and its gradients through the engine agree with plain, on arena tensors", () => {
    const x0 = randomArray(37 * 23, 11);
    const w0 = randomArray(23 * 19, 12);
    const run = (kernels: Backend, allocator: WasmArena | null): { value: number; gx: Float64Array; gw: Float64Array } => {
      const previous = setBackend(kernels);
      try {
        const body = () => {
          const f = valueAndGrad(({ x, w }: { x: Tensor; w: Tensor }) => {
            const y = matmul(matmul(x, w), w, { transB: true });
            const z = matmul(y, x, { transA: true });
            return sum(square(matmul(w, z, { transA: true, transB: true })));
          });
          const x = Tensor.empty([37, 23]);
          x.data.set(x0);
          const w = Tensor.empty([23, 19]);
          w.data.set(w0);
          const { value, grads } = f({ x, w });
          return { value: value.data.reduce((s, v) => s + v, 0), gx: grads.x.data.slice(), gw: grads.w.data.slice() };
        };
        return allocator === null ? body() : withAllocator(allocator, body);
      } finally {
        setBackend(previous);
      }
    };
    arena.reset();
    const plain = run(plainBackend, null);
    const fast = run(backend, arena);
    expect(Math.abs(fast.value - plain.value)).toBeLessThanOrEqual(1e-12 * Math.abs(plain.value));
    for (const [p, q] of [
      [fast.gx, plain.gx],
      [fast.gw, plain.gw],
    ] as const) {
      const scale = Math.max(...q.map(Math.abs));
      for (let i = 0; i < q.length; i++) expect(Math.abs(p[i] - q[i])).toBeLessThanOrEqual(1e-11 * scale);
    }
  });
});

describe.skipIf(wasm === null)("wasm memory pressure", () => {
  it("runs a product on the plain kernels when the memory has no room for its scratch", () => {
    const runtime = wasmRuntime();
    if (runtime === null || wasm === null) return;
    const hog = new WasmArena(runtime.regions.largestFree - 1024 * 1024);
    try {
      const [m, n, k] = [2100, 3, 1100];
      const a = randomArray(m * k, 5);
      const b = randomArray(k * n, 6);
      const c = new Float64Array(m * n);
      const expected = new Float64Array(m * n);
      gemmPlain(false, false, m, n, k, a, b, expected, false);
      wasm.gemm(false, false, m, n, k, a, b, c, false);
      expect(firstDifference(c, expected)).toBe(-1);
    } finally {
      hog.dispose();
    }
  });
});

describe.skipIf(wasm === null)("WasmArena", () => {
  it("hands out zeroed views inside the wasm memory and the same views again after reset()", () => {
    const arena = new WasmArena(1024 * 1024);
    try {
      const first = [arena.allocate(10), arena.allocate(3), arena.allocate(100)];
      for (const view of first) {
        expect(arena.owns(view)).toBe(true);
        expect(view.byteOffset % 64).toBe(0);
        view.fill(7);
      }
      expect(new Set(first.map((v) => v.buffer)).size).toBe(1);
      arena.reset();
      const second = [arena.allocate(10), arena.allocate(3), arena.allocate(100)];
      second.forEach((view, i) => {
        expect(view).toBe(first[i]);
        expect(view.every((v) => v === 0)).toBe(true);
      });
      arena.reset();
      const changed = [arena.allocate(10), arena.allocate(50), arena.allocate(100)];
      expect(changed[0]).toBe(first[0]);
      expect(changed[1]).not.toBe(first[1]);
      expect(changed[2].byteOffset).toBeGreaterThanOrEqual(changed[1].byteOffset + 50 * 8);
    } finally {
      arena.dispose();
    }
  });

  it("throws a clear error when exhausted and never grows the memory under live views", () => {
    const arena = new WasmArena(64 * 1024);
    try {
      const view = arena.allocate(4000);
      expect(() => arena.allocate(8000)).toThrow(/out of space.*larger capacity/);
      expect(view.length).toBe(4000);
    } finally {
      arena.dispose();
    }
    expect(() => arena.allocate(1)).toThrow(/dispose/);
  });

  it("returns its range on dispose() so a later arena can reuse it", () => {
    const big = new WasmArena(256 * 1024 * 1024);
    big.dispose();
    const again = new WasmArena(256 * 1024 * 1024);
    again.dispose();
    expect(() => new WasmArena(8 * 1024 * 1024 * 1024)).toThrow(/cannot reserve/);
  });
});

describe("RegionAllocator", () => {
  it("reserves first-fit, aligned, and merges released neighbours", () => {
    const regions = new RegionAllocator(100, 100 + 64 * 10);
    const a = regions.reserve(64);
    const b = regions.reserve(100);
    const c = regions.reserve(64);
    expect([a, b, c]).toEqual([128, 192, 320]);
    expect(regions.reserve(64 * 10)).toBeNull();
    regions.release(b ?? -1);
    regions.release(a ?? -1);
    expect(regions.reserve(64 * 3)).toBe(128);
    regions.release(128);
    regions.release(c ?? -1);
    expect(regions.freeBytes).toBe(640 - 28);
    expect(regions.largestFree).toBe(640 - 28);
    expect(() => regions.release(12345)).toThrow();
  });
});

describe("kernel selection", () => {
  it("honours GRADSPEC_KERNELS and rejects unknown values", () => {
    expect(selectBackend("plain").backend).toBe(plainBackend);
    expect(() => selectBackend("gpu")).toThrow(/plain.*wasm/);
    // Without GRADSPEC_KERNELS the native kernels come first when built (kernels-backends.test.ts).
    if (wasm !== null) {
      expect(selectBackend("wasm").backend).toBe(wasm);
      expect(["native", "wasm"]).toContain(selectBackend("").name);
    } else {
      expect(() => selectBackend("wasm")).toThrow(/cannot load/);
      expect(["native", "plain"]).toContain(selectBackend("").name);
    }
  });
});

describe("backend storage pools", () => {
  it("are BufferPools under plain, and under wasm hand out wasm memory, then spill to the heap when full", () => {
    const heapPool = plainBackend.storage.createPool(1024 * 1024);
    expect(heapPool).toBeInstanceOf(BufferPool);
    heapPool.dispose();
    if (wasm === null) return;
    const pool = wasm.storage.createPool(64 * 1024);
    try {
      const inside = pool.allocate(4000);
      expect(inside.buffer.byteLength).toBeGreaterThan(4000 * 8);
      const spilled = pool.allocate(8000);
      expect(spilled.buffer.byteLength).toBe(8000 * 8);
      pool.reset();
      expect(pool.allocate(4000)).toBe(inside);
      expect(pool.allocate(8000)).toBe(spilled);
    } finally {
      pool.dispose();
    }
  });
});
