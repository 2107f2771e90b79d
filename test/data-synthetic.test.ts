import { describe, expect, it } from "vitest";
import { classCounts, syntheticBlobs } from "../packages/runner/src/data/index.js";

describe("synthetic Gaussian blobs", () => {
  it("is fully determined by its options and seed", () => {
    const a = syntheticBlobs({ seed: 7, classes: 4, dim: 5, train: 40, test: 12 });
    const b = syntheticBlobs({ seed: 7, classes: 4, dim: 5, train: 40, test: 12 });
    expect(Buffer.compare(Buffer.from(a.train.features.buffer), Buffer.from(b.train.features.buffer))).toBe(0);
    expect(Array.from(a.test.features)).toEqual(Array.from(b.test.features));
    const c = syntheticBlobs({ seed: 8, classes: 4, dim: 5, train: 40, test: 12 });
    expect(c.train.features[0]).not.toBe(a.train.features[0]);
    // Changing the test size leaves centers and training samples unchanged.
    const d = syntheticBlobs({ seed: 7, classes: 4, dim: 5, train: 40, test: 99 });
    expect(Array.from(d.centers)).toEqual(Array.from(a.centers));
    expect(Array.from(d.train.features)).toEqual(Array.from(a.train.features));
  });

  it("has balanced labels and samples N(center, 1) around centers N(0, spread²)", () => {
    const { train, test, centers } = syntheticBlobs({ seed: 3, classes: 3, dim: 4, spread: 5, train: 30000, test: 10 });
    expect([train.count, train.dim, train.classes, test.count]).toEqual([30000, 4, 3, 10]);
    expect(train.features).toBeInstanceOf(Float64Array);
    expect(Array.from(classCounts(train))).toEqual([10000, 10000, 10000]);
    expect(Array.from(test.labels)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
    // Per class: the sample mean is within 5 standard errors (5/√10000 = 0.05) of the center, the variance near 1.
    for (let k = 0; k < 3; k++) {
      for (let j = 0; j < 4; j++) {
        let s = 0;
        let sq = 0;
        for (let i = k; i < train.count; i += 3) {
          const v = train.features[i * 4 + j] - centers[k * 4 + j];
          s += v;
          sq += v * v;
        }
        expect(Math.abs(s / 10000)).toBeLessThan(0.05);
        expect(Math.abs(sq / 10000 - 1)).toBeLessThan(0.08);
      }
    }
    // Centers are spread out (|c| ~ 5·√4): not all near the origin.
    let norm = 0;
    for (const c of centers) norm += c * c;
    expect(Math.sqrt(norm / 3)).toBeGreaterThan(3);
  });

  it("validates its options", () => {
    expect(() => syntheticBlobs({ seed: 1, classes: 0 })).toThrow("syntheticBlobs: classes must be a positive integer, got 0");
    expect(() => syntheticBlobs({ seed: 1, dim: 2.5 })).toThrow("syntheticBlobs: dim must be a positive integer, got 2.5");
    expect(() => syntheticBlobs({ seed: 1, spread: -1 })).toThrow("syntheticBlobs: spread must be ≥ 0, got -1");
    const wide = syntheticBlobs({ seed: 1, classes: 300, dim: 1, train: 600, test: 0 });
    expect(wide.train.labels).toBeInstanceOf(Int32Array);
    expect(wide.train.labels[299]).toBe(299);
  });
});
