import { describe, expect, it } from "vitest";
import {
  classCounts, concat, fillBatch, fillLabels, fillRange, fitStandardizer, identityStandardizer, subset, takeRows, toMatrix,
  type Dataset,
} from "../packages/runner/src/data/index.js";

function bytes(rows: readonly (readonly number[])[], labels: readonly number[], name = "t"): Dataset {
  const dim = rows[0].length;
  return { name, features: Uint8Array.from(rows.flat()), labels: Uint8Array.from(labels), count: rows.length, dim, classes: 3, classNames: ["a", "b", "c"] };
}

function floats(ds: Dataset): Dataset {
  return { ...ds, features: Float64Array.from(ds.features) };
}

const small = bytes([[0, 5, 10, 1, 2, 3], [2, 5, 20, 3, 4, 5], [4, 5, 0, 5, 6, 7]], [0, 2, 1]);

describe("fitStandardizer", () => {
  it("per feature: population mean and std; a constant feature gets std 1", () => {
    const { mean, std } = fitStandardizer(small);
    expect(Array.from(mean)).toEqual([2, 5, 10, 3, 4, 5]);
    const s = Math.sqrt(8 / 3);
    expect(Array.from(std)).toEqual([s, 1, Math.sqrt(200 / 3), s, s, s]);
    // The float path (two passes) gives the same numbers here.
    const f = fitStandardizer(floats(small));
    expect(Array.from(f.mean)).toEqual(Array.from(mean));
    for (let j = 0; j < 6; j++) expect(Math.abs(f.std[j] - std[j])).toBeLessThan(1e-15 * std[j]);
  });

  it("per channel over a planar layout", () => {
    // 3 channels × 2 pixels: channel 0 = features 0,1; channel 1 = 2,3; channel 2 = 4,5.
    const { mean, std } = fitStandardizer(small, "channel");
    // Channel 0 values: 0 5 2 5 4 5 → mean 3.5; channel 1: 10 1 20 3 0 5 → mean 6.5; channel 2: 2 3 4 5 6 7 → 4.5.
    expect(Array.from(mean)).toEqual([3.5, 3.5, 6.5, 6.5, 4.5, 4.5]);
    const var0 = [0, 5, 2, 5, 4, 5].reduce((a, v) => a + (v - 3.5) ** 2, 0) / 6;
    const var1 = [10, 1, 20, 3, 0, 5].reduce((a, v) => a + (v - 6.5) ** 2, 0) / 6;
    expect(Array.from(std)).toEqual([var0, var0, var1, var1, 35 / 12, 35 / 12].map(Math.sqrt));
    const f = fitStandardizer(floats(small), "channel");
    for (let j = 0; j < 6; j++) expect(Math.abs(f.std[j] - std[j])).toBeLessThan(1e-15 * std[j]);
    expect(() => fitStandardizer(small, "channel", { channels: 4 })).toThrow("t has 6 features, not a whole number of pixels for 4 channels");
  });

  it("byte statistics are exact even for a nearly constant feature", () => {
    const n = 1000;
    const rows = Array.from({ length: n }, (_, i) => [i === 0 ? 254 : 255]);
    const { mean, std } = fitStandardizer(bytes(rows, new Array<number>(n).fill(0)));
    expect(mean[0]).toBe(254999 / 1000);
    expect(std[0]).toBe(Math.sqrt(999 / 1e6)); // variance (n − 1)/n², correctly rounded
  });
});

describe("fillBatch / fillRange / fillLabels", () => {
  const st = fitStandardizer(small);

  it("writes standardized float64 rows in index order into a reused buffer", () => {
    const out = new Float64Array(2 * 6 + 3).fill(-7);
    expect(fillBatch(small, Int32Array.from([2, 0]), st, out)).toBe(2);
    const s = Math.sqrt(8 / 3);
    expect(Array.from(out.subarray(0, 6))).toEqual([2 / s, 0, -10 / Math.sqrt(200 / 3), 2 / s, 2 / s, 2 / s]);
    expect(Array.from(out.subarray(6, 12))).toEqual([-2 / s, 0, 0, -2 / s, -2 / s, -2 / s]);
    expect(Array.from(out.subarray(12))).toEqual([-7, -7, -7]); // untouched beyond the batch
    // Float64 features give the same rows as bytes.
    const floatOut = new Float64Array(12);
    fillBatch(floats(small), Int32Array.from([2, 0]), st, floatOut);
    expect(Array.from(floatOut)).toEqual(Array.from(out.subarray(0, 12)));
    fillBatch(small, Int32Array.from([1]), null, out);
    expect(Array.from(out.subarray(0, 6))).toEqual([2, 5, 20, 3, 4, 5]);
  });

  it("fillRange matches fillBatch on consecutive rows; toMatrix on all rows", () => {
    const a = new Float64Array(12);
    const b = new Float64Array(12);
    fillRange(small, 1, 3, st, a);
    fillBatch(small, Int32Array.from([1, 2]), st, b);
    expect(Array.from(a)).toEqual(Array.from(b));
    const m = toMatrix(small, identityStandardizer(6));
    expect(Array.from(m)).toEqual(Array.from(small.features));
    // Standardized training features have mean 0 and population variance 1 (or 0 for the constant feature).
    const z = toMatrix(small, st);
    for (let j = 0; j < 6; j++) {
      const col = [z[j], z[6 + j], z[12 + j]];
      expect(Math.abs(col[0] + col[1] + col[2])).toBeLessThan(1e-15);
      expect(Math.abs((col[0] ** 2 + col[1] ** 2 + col[2] ** 2) / 3 - (j === 1 ? 0 : 1))).toBeLessThan(1e-15);
    }
  });

  it("labels, and errors for bad buffers and indices", () => {
    const labels = new Int32Array(4).fill(-1);
    expect(fillLabels(small, Int32Array.from([2, 1, 0]), labels)).toBe(3);
    expect(Array.from(labels)).toEqual([1, 2, 0, -1]);
    expect(() => fillBatch(small, Int32Array.from([0, 1]), st, new Float64Array(11))).toThrow("fillBatch: out holds 11 values, need 2×6 = 12");
    expect(() => fillBatch(small, Int32Array.from([3]), st, new Float64Array(6))).toThrow("index 3 at position 0 is outside 0..2 of t");
    expect(() => fillRange(small, 2, 4, null, new Float64Array(12))).toThrow("fillRange: rows 2..4 are outside 0..3 of t");
    expect(() => fillBatch(small, Int32Array.from([0]), identityStandardizer(5), new Float64Array(6))).toThrow(
      "fillBatch: standardizer has 5 features, t has 6",
    );
  });
});

describe("subset / takeRows / concat", () => {
  it("subset is a view on the same memory", () => {
    const s = subset(small, 1, 3);
    expect([s.count, s.dim, s.name]).toEqual([2, 6, "t[1:3]"]);
    expect(s.features.buffer).toBe(small.features.buffer);
    expect(s.features.byteOffset).toBe(6);
    expect(Array.from(s.labels)).toEqual([2, 1]);
    expect(s.classNames).toEqual(["a", "b", "c"]);
    expect(() => subset(small, 2, 4)).toThrow("rows 2..4 are outside 0..3 of t");
  });

  it("takeRows copies the chosen rows compactly", () => {
    const t = takeRows(small, [2, 2, 0]);
    expect(t.features).toBeInstanceOf(Uint8Array);
    expect(t.features.buffer).not.toBe(small.features.buffer);
    expect(Array.from(t.features)).toEqual([4, 5, 0, 5, 6, 7, 4, 5, 0, 5, 6, 7, 0, 5, 10, 1, 2, 3]);
    expect(Array.from(t.labels)).toEqual([1, 1, 0]);
    expect(() => takeRows(small, [0, 3])).toThrow("takeRows: index 3 at position 1 is outside 0..2 of t");
  });

  it("concat joins rows of matching datasets", () => {
    const c = concat([subset(small, 2, 3), small]);
    expect(c.count).toBe(4);
    expect(c.name).toBe("t[2:3]+t");
    expect(Array.from(c.labels)).toEqual([1, 0, 2, 1]);
    expect(Array.from(c.features.subarray(0, 12))).toEqual([4, 5, 0, 5, 6, 7, 0, 5, 10, 1, 2, 3]);
    expect(Array.from(classCounts(c))).toEqual([1, 2, 1]);
    expect(() => concat([small, floats(small)])).toThrow("concat: t stores different array types from t");
    expect(() => concat([small, { ...small, dim: 3, count: 6 }])).toThrow("concat: t is 3-d with 3 classes, t is 6-d with 3");
  });
});
