import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CIFAR10_CLASS_NAMES, loadCifar10, loadCifar10Batch, loadCifar10Bin, parseCifar10Bin, readCifar10ClassNames,
  resolveCifar10File,
} from "../packages/runner/src/data/index.js";
import { dataFiles, fingerprintFiles } from "../packages/runner/src/data/fingerprint.js";
import type { Cifar10Data } from "../packages/runner/src/spec/types.js";
import { cifarMatVars, writeMat } from "./data-mat-writer.js";
import { errorOf } from "./helpers/data-error.js";

const D = 3072;
/** Pixel of image i at plane c (0 R, 1 G, 2 B), row y, column x. */
const pixel = (i: number, c: number, y: number, x: number): number => (i * 50 + c * 80 + y * 3 + x) & 255;

/** Official record layout: label byte, then the R, G and B planes, each 32×32 row-major. */
function records(labels: readonly number[], first = 0): Uint8Array {
  const out = new Uint8Array(labels.length * (D + 1));
  labels.forEach((label, r) => {
    const base = r * (D + 1);
    out[base] = label;
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[base + 1 + c * 1024 + y * 32 + x] = pixel(first + r, c, y, x);
  });
  return out;
}


describe("CIFAR-10 binary batches", () => {
  it("splits labels from CHW pixel planes, keeping bytes in file order", () => {
    const ds = parseCifar10Bin(records([6, 9, 0]), "data_batch_1.bin");
    expect(ds.name).toBe("cifar10:data_batch_1.bin");
    expect([ds.count, ds.dim, ds.classes]).toEqual([3, 3072, 10]);
    expect(Array.from(ds.labels)).toEqual([6, 9, 0]);
    expect(ds.features).toBeInstanceOf(Uint8Array);
    expect(ds.features.length).toBe(3 * D);
    // Image 1: R(0,0), R(0,1), G(0,0), B(31,31); image 2: first byte.
    expect(ds.features[D + 0]).toBe(pixel(1, 0, 0, 0));
    expect(ds.features[D + 1]).toBe(pixel(1, 0, 0, 1));
    expect(ds.features[D + 1024]).toBe(pixel(1, 1, 0, 0));
    expect(ds.features[D + 3071]).toBe(pixel(1, 2, 31, 31));
    expect(ds.features[2 * D]).toBe(pixel(2, 0, 0, 0));
    expect(ds.classNames).toEqual(CIFAR10_CLASS_NAMES);
  });

  it("rejects a size that is not a whole number of records", () => {
    const e = errorOf(() => parseCifar10Bin(records([1, 2]).subarray(0, 2 * 3073 - 5), "data_batch_2.bin"));
    expect(e.file).toBe("data_batch_2.bin");
    expect(e.message).toBe(
      "data_batch_2.bin: size 6141 bytes is not a positive multiple of 3073 (1 label byte + 3072 pixel bytes per record; " +
        "an official batch is 30730000 bytes = 10000 records): truncated or not a CIFAR-10 binary batch",
    );
    expect(errorOf(() => parseCifar10Bin(new Uint8Array(0), "empty.bin")).message).toMatch(/^empty\.bin: size 0 bytes is not a positive multiple of 3073/);
  });

  it("rejects labels above 9, naming the record", () => {
    const bytes = records([1, 2, 3]);
    bytes[3073 * 2] = 10;
    expect(errorOf(() => parseCifar10Bin(bytes, "test_batch.bin")).message).toBe(
      "test_batch.bin: record 2 (byte 6146) has label 10, expected 0..9: not a CIFAR-10 binary batch",
    );
  });
});

describe("CIFAR-10 folders", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "gradspec-cifar-"));
    writeFileSync(join(dir, "data_batch_1.bin"), records([0, 1], 0));
    writeFileSync(join(dir, "data_batch_2.bin"), records([2, 3, 4], 2));
    const pixels = Array.from(parseCifar10Bin(records([5, 6], 5), "x").features);
    writeFileSync(join(dir, "data_batch_3.mat"), writeMat(cifarMatVars(pixels, [5, 6]), { compress: true }));
    writeFileSync(join(dir, "batches.meta.txt"), "A\nB\nC\nD\nE\nF\nG\nH\nI\nJ\n\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads class names from batches.meta.txt, or uses the official ones", () => {
    expect(readCifar10ClassNames(dir)).toEqual(["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]);
    expect(readCifar10ClassNames(join(dir, "nothing-here"))).toEqual(CIFAR10_CLASS_NAMES);
    const bad = join(dir, "bad-meta");
    mkdirSync(bad);
    writeFileSync(join(bad, "batches.meta.txt"), "cat\ndog\n");
    expect(errorOf(() => readCifar10ClassNames(bad)).message).toBe(`${join(bad, "batches.meta.txt")}: has 2 class names, expected 10 (one per line)`);
  });

  it("resolves .bin before .mat and loads both formats into the same layout", () => {
    expect(resolveCifar10File(dir, "data_batch_1")).toBe(join(dir, "data_batch_1.bin"));
    expect(resolveCifar10File(dir, "data_batch_3")).toBe(join(dir, "data_batch_3.mat"));
    const all = loadCifar10(dir, ["data_batch_1", "data_batch_2", "data_batch_3"]);
    expect(all.count).toBe(7);
    expect(all.name).toBe("cifar10:data_batch_1+data_batch_2+data_batch_3");
    expect(Array.from(all.labels)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(all.classNames?.[0]).toBe("A");
    for (let i = 0; i < 7; i++) {
      expect(all.features[i * D + 1024 + 5 * 32 + 7]).toBe(pixel(i, 1, 5, 7));
    }
    const mat = loadCifar10Batch(dir, "data_batch_3.mat");
    expect(Array.from(mat.features)).toEqual(Array.from(all.features.subarray(5 * D)));
  });

  it("says where to get the data when the folder or a batch is missing", () => {
    const missingDir = join(dir, "no-such-folder");
    const e = errorOf(() => loadCifar10(missingDir));
    expect(e.file).toBe(missingDir);
    expect(e.message).toBe(
      `${missingDir}: not found. CIFAR-10 binary batches are at https://www.cs.toronto.edu/~kriz/cifar.html (cifar-10-binary.tar.gz); ` +
        "set data.dir in the spec or GRADSPEC_DATA to the folder that holds data_batch_1.bin",
    );
    expect(errorOf(() => loadCifar10(dir, ["data_batch_1", "data_batch_4"])).message).toMatch(
      new RegExp(`^${escape(join(dir, "data_batch_4.bin"))}: not found\\. CIFAR-10 binary batches are at`),
    );
    expect(errorOf(() => loadCifar10Bin(join(dir, "test_batch.bin"))).file).toBe(join(dir, "test_batch.bin"));
    expect(errorOf(() => loadCifar10Bin(dir)).message).toBe(`${dir}: is a folder, expected a file`);
    expect(errorOf(() => loadCifar10(join(dir, "data_batch_1.bin"))).message).toBe(`${join(dir, "data_batch_1.bin")}: is a file, expected a folder`);
  });

  it("data.format chooses the file kind when both exist, and an extension must agree with it", () => {
    const both = join(dir, "both");
    mkdirSync(both);
    writeFileSync(join(both, "data_batch_1.bin"), records([0, 1], 0));
    writeFileSync(join(both, "data_batch_1.mat"), writeMat(cifarMatVars(Array.from(parseCifar10Bin(records([7, 8, 9], 40), "x").features), [7, 8, 9])));
    expect(loadCifar10(both, ["data_batch_1"], "auto").count).toBe(2);
    expect(loadCifar10(both, ["data_batch_1"], "bin").count).toBe(2);
    const mat = loadCifar10(both, ["data_batch_1"], "mat");
    expect(Array.from(mat.labels)).toEqual([7, 8, 9]);
    expect(mat.features[0]).toBe(pixel(40, 0, 0, 0));
    const spec: Cifar10Data = { source: "cifar10", dir: both, format: "mat", train: ["data_batch_1"], validation: 0, test: [], limit: {}, preprocess: "standardize" };
    expect(dataFiles(spec, dir)).toEqual([join(both, "data_batch_1.mat")]);
    expect(errorOf(() => loadCifar10(dir, ["data_batch_3"], "bin")).message).toMatch(new RegExp(`^${escape(join(dir, "data_batch_3.bin"))}: not found\\. CIFAR-10 binary`));
    expect(errorOf(() => loadCifar10(dir, ["data_batch_1"], "mat")).message).toMatch(new RegExp(`^${escape(join(dir, "data_batch_1.mat"))}: not found\\. CIFAR-10 MATLAB`));
    expect(errorOf(() => loadCifar10(dir, ["data_batch_3.mat"], "bin")).message).toBe(
      `${join(dir, "data_batch_3.mat")}: is a .mat batch but data.format is bin; name the batch without an extension or set data.format: auto`,
    );
  });

  it.skipIf(process.platform === "win32")("refuses a batch that is a named pipe instead of waiting on it", () => {
    const fifoDir = join(dir, "fifo");
    mkdirSync(fifoDir);
    const fifo = join(fifoDir, "data_batch_1.bin");
    execFileSync("mkfifo", [fifo]);
    const expected = `${fifo}: is a named pipe (FIFO), not a regular file; copy the data into a regular file`;
    expect(errorOf(() => loadCifar10(fifoDir, ["data_batch_1"])).message).toBe(expected);
    expect(errorOf(() => fingerprintFiles([fifo])).message).toBe(expected);
    execFileSync("mkfifo", [join(fifoDir, "batches.meta.txt")]);
    expect(errorOf(() => readCifar10ClassNames(fifoDir)).message).toMatch(/batches\.meta\.txt: is a named pipe \(FIFO\)/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
