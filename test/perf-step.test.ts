import { afterEach, describe, expect, it } from "vitest";
import { Rng, WasmArena, nativeBackend, plainBackend, setBackend, wasmBackend, type Backend } from "@gradspec/autograd";
import { buildMlp, train, type EpochMetrics } from "@gradspec/nn";
import { binaryBroadcast, BINARY, sumToShape, type BinaryOp } from "../packages/autograd/src/kernels/elementwise.js";
import { fillBatch, fitStandardizer, subset, type Dataset } from "../packages/runner/src/data/index.js";
import { datasetSource } from "../packages/runner/src/data/from-spec.js";
import { copyRow, standardizeRow } from "../packages/runner/src/data/rows.js";

// The optimized paths (wasm kernels, batch fill, elementwise fast paths) against the plain ones.

const wasm = wasmBackend();
const native = nativeBackend();

afterEach(() => {
  setBackend(plainBackend);
});

function bytes(count: number, dim: number, seed: number): Dataset {
  const features = new Uint8Array(count * dim);
  const labels = new Uint8Array(count);
  let s = seed >>> 0;
  const next = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  for (let i = 0; i < features.length; i++) features[i] = next() >>> 24;
  for (let i = 0; i < count; i++) labels[i] = next() % 10;
  return { name: `bytes-${dim}`, features, labels, count, dim, classes: 10 };
}

function indices(count: number, bound: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: count }, () => Math.floor(rng.uniformIn(0, bound)));
}

/** The rows as the loop before the kernel wrote them: bytes copied to float64, then (x − mean) / std. */
function reference(dataset: Dataset, rows: Int32Array, mean: Float64Array, std: Float64Array): Float64Array {
  const d = dataset.dim;
  const out = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) {
    copyRow(dataset.features, rows[r] * d, d, out, r * d);
    standardizeRow(out, r * d, d, mean, std);
  }
  return out;
}

function expectSameBits(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) throw new Error(`element ${i}: ${actual[i]} ≠ ${expected[i]}`);
  }
}

describe("fillBatch: standardized bytes", () => {
  const backends: [string, Backend | null][] = [["plain", plainBackend], ["wasm", wasm], ["native", native]];

  for (const [name, kernels] of backends) {
    it.skipIf(kernels === null)(`${name} kernels give the rows of the reference loop, bit for bit`, () => {
      setBackend(kernels as Backend);
      // 3072: CIFAR's width (word-copy path); 37 and an odd row offset: unaligned bytes and a kernel tail.
      for (const [dataset, seed] of [[bytes(60, 3072, 1), 2], [subset(bytes(50, 37, 3), 1, 50), 4]] as const) {
        const { mean, std } = fitStandardizer(dataset);
        const rows = indices(23, dataset.count, seed);
        const expected = reference(dataset, rows, mean, std);
        const outside = new Float64Array(rows.length * dataset.dim + 5).fill(7);
        fillBatch(dataset, rows, { mean, std }, outside);
        expectSameBits(outside.subarray(0, expected.length), expected);
        expect(Array.from(outside.subarray(expected.length))).toEqual([7, 7, 7, 7, 7]);
        if (kernels === wasm) {
          const arena = new WasmArena(1 << 20);
          try {
            const inside = arena.allocate(rows.length * dataset.dim);
            fillBatch(dataset, rows, { mean, std }, inside);
            expectSameBits(inside, expected);
          } finally {
            arena.dispose();
          }
        }
      }
    });
  }
});

/** max |a − b| / max |b|: the difference relative to the tensor's scale (an entry near 0 may differ more relative to itself). */
function relativeDifference(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

interface Trained {
  params: Map<string, Float64Array>;
  buffers: Map<string, Float64Array>;
  history: EpochMetrics[];
}

function trainWith(kernels: Backend): Trained {
  setBackend(kernels);
  const all = bytes(260, 3072, 11);
  const trainSet = subset(all, 0, 200);
  const standardizer = fitStandardizer(trainSet);
  const model = buildMlp({ input: 3072, hidden: [24, 12], output: 10, batchNorm: { enabled: true } }, new Rng(5));
  const result = train(
    model,
    { train: datasetSource(trainSet, standardizer), validation: datasetSource(subset(all, 200, 260), standardizer) },
    { epochs: 2, batchSize: 45, learningRate: 0.05, momentum: 0.8, lambda: 0.01, seed: 9 },
  );
  expect(result.status).toBe("completed");
  const copy = (m: ReadonlyMap<string, { data: Float64Array }>): Map<string, Float64Array> =>
    new Map([...m].map(([k, t]) => [k, Float64Array.from(t.data)]));
  return { params: copy(model.params), buffers: copy(model.buffers), history: result.history };
}

for (const [kernelsName, kernels] of [["wasm", wasm], ["native", native]] as const) {
  describe.skipIf(kernels === null)(`training steps: ${kernelsName} kernels against plain`, () => {
    it("give the same parameters, running statistics and metrics to within 1e-12 relative", () => {
      const plain = trainWith(plainBackend);
      const fast = trainWith(kernels as Backend);
      expect([...fast.params.keys()]).toEqual([...plain.params.keys()]);
      for (const [name, p] of plain.params) {
        const q = fast.params.get(name) as Float64Array;
        if (name === "b1" || name === "b2") {
          // A bias right before batch norm has an exact gradient of zero: these hold only rounding noise.
          for (const x of [...p, ...q]) expect(Math.abs(x)).toBeLessThan(1e-14);
        } else {
          expect(relativeDifference(q, p), name).toBeLessThanOrEqual(1e-12);
        }
      }
      for (const [name, b] of plain.buffers) expect(relativeDifference(fast.buffers.get(name) as Float64Array, b), name).toBeLessThanOrEqual(1e-12);
      expect(fast.history.length).toBe(3);
      fast.history.forEach((epoch, i) => {
        for (const split of ["train", "validation"] as const) {
          const a = epoch[split];
          const b = plain.history[i][split];
          if (a === undefined || b === undefined) throw new Error(`epoch ${i}: no ${split} metrics`);
          expect(a.accuracy).toBe(b.accuracy);
          expect(relativeDifference(Float64Array.of(a.loss, a.cost), Float64Array.of(b.loss, b.cost))).toBeLessThanOrEqual(1e-12);
        }
      });
    });
  });
}

describe("elementwise fast paths (row and scalar broadcasts) match the general walk", () => {
  const values = (n: number, seed: number): Float64Array => {
    const rng = new Rng(seed);
    return Float64Array.from({ length: n }, () => rng.normal());
  };
  const ops: BinaryOp[] = [BINARY.add, BINARY.sub, BINARY.mul, BINARY.div];
  const apply = (op: BinaryOp, x: number, y: number): number => [x + y, x - y, x * y, x / y][op];

  it("binaryBroadcast of a [n, d] batch with a [d], [1, d] or scalar operand, either side", () => {
    for (const other of [[7], [1, 7], [], [1], [1, 1]]) {
      const size = other.reduce((p, q) => p * q, 1);
      const a = values(5 * 7, 1);
      const b = values(size, 2);
      for (const op of ops) {
        for (const swap of [false, true]) {
          const out = new Float64Array(35);
          if (swap) binaryBroadcast(op, b, other, a, [5, 7], out, [5, 7]);
          else binaryBroadcast(op, a, [5, 7], b, other, out, [5, 7]);
          const expected = Float64Array.from({ length: 35 }, (_, i) => {
            const y = b[size === 1 ? 0 : i % 7];
            return swap ? apply(op, y, a[i]) : apply(op, a[i], y);
          });
          expectSameBits(out, expected);
        }
      }
    }
  });

  it("sumToShape into a row (column sums) and into a scalar (sums of row sums), in the general walk's order", () => {
    const grad = values(6 * 5, 3);
    const row = values(5, 4);
    const expectedRow = Float64Array.from(row);
    for (let r = 0; r < 6; r++) for (let j = 0; j < 5; j++) expectedRow[j] += grad[r * 5 + j];
    sumToShape(grad, [6, 5], row, [1, 5]);
    expectSameBits(row, expectedRow);
    const scalar = Float64Array.of(0.25);
    let expectedScalar = 0.25;
    for (let r = 0; r < 6; r++) {
      let s = 0;
      for (let j = 0; j < 5; j++) s += grad[r * 5 + j];
      expectedScalar += s;
    }
    sumToShape(grad, [6, 5], scalar, []);
    expectSameBits(scalar, Float64Array.of(expectedScalar));
    // A column of width 1 into a scalar adds element by element, as the general walk does.
    const column = values(4, 5);
    const one = Float64Array.of(-0);
    sumToShape(column, [4, 1], one, [1]);
    expectSameBits(one, Float64Array.of(-0 + column[0] + column[1] + column[2] + column[3]));
  });
});
