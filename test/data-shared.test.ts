import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { classCounts, fitStandardizer, loadCifar10Batch, readCifar10ClassNames } from "../packages/runner/src/data/index.js";

/** Optional: the CIFAR-10 binary batches, from GRADSPEC_DATA or the shared folder next to the checkout. */
const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const dir = process.env.GRADSPEC_DATA ?? resolve(repoRoot, "../shared/cifar-10-jpeg");
const present = existsSync(join(dir, "data_batch_1.bin")) && existsSync(join(dir, "test_batch.bin"));
if (!present) console.log(`data-shared: skipped, no data_batch_1.bin and test_batch.bin in ${dir} (set GRADSPEC_DATA to run it)`);

describe.skipIf(!present)("CIFAR-10 binary batches on disk", () => {
  it("data_batch_1 and test_batch match the well-known first values", () => {
    const start = performance.now();
    const train = loadCifar10Batch(dir, "data_batch_1");
    console.log(`data-shared: loaded ${train.name} (${train.count} images) in ${(performance.now() - start).toFixed(0)} ms`);
    expect([train.count, train.dim]).toEqual([10000, 3072]);
    expect(Array.from(train.features.subarray(0, 5))).toEqual([59, 43, 50, 68, 98]); // image 0 (a frog), R plane
    expect(Array.from(train.features.subarray(3069, 3072))).toEqual([140, 84, 72]); // its last B bytes
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([6, 9, 9, 4, 1, 1, 2, 7, 8, 3]);
    expect(Array.from(classCounts(train))).toEqual([1005, 974, 1032, 1016, 999, 937, 1030, 1001, 1025, 981]);
    expect(readCifar10ClassNames(dir)[6]).toBe("frog");

    const test = loadCifar10Batch(dir, "test_batch");
    expect(Array.from(test.labels.subarray(0, 10))).toEqual([3, 8, 8, 0, 6, 6, 1, 6, 3, 1]);
    expect(Array.from(test.features.subarray(0, 3))).toEqual([158, 159, 165]);
    expect(Array.from(classCounts(test))).toEqual(new Array<number>(10).fill(1000));

    const st = fitStandardizer(train, "channel");
    expect(st.mean[0]).toBeGreaterThan(120);
    expect(st.mean[0]).toBeLessThan(132);
    expect(st.std[2048]).toBeGreaterThan(60);
    expect(st.std[2048]).toBeLessThan(72);
  });
});
