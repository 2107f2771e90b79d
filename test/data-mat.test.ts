import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  CIFAR10_CLASS_NAMES, loadCifar10Mat, matVariable, parseCifar10Mat, parseMat, rowMajorBytes, type MatNumeric,
} from "../packages/runner/src/data/index.js";
import { cifarMatVars, writeMat, type MatVar } from "./data-mat-writer.js";
import { errorOf } from "./helpers/data-error.js";

const N = 4;
const D = 3072;
/** Distinct-ish pixel (i, j) so a transposition or plane mix-up shows. */
const pixel = (i: number, j: number): number => (i * 97 + j * 13 + (j >> 10) * 5) & 255;
const pixels = Array.from({ length: N * D }, (_, k) => pixel(Math.floor(k / D), k % D));
const labels = [6, 9, 0, 3];


function expectCifar(bytes: Uint8Array): void {
  const ds = parseCifar10Mat(bytes, "batch.mat");
  expect(ds.count).toBe(N);
  expect(ds.dim).toBe(D);
  expect(ds.classes).toBe(10);
  expect(ds.name).toBe("cifar10:batch.mat");
  expect(ds.classNames).toEqual(CIFAR10_CLASS_NAMES);
  expect(ds.features).toBeInstanceOf(Uint8Array);
  expect(Array.from(ds.labels)).toEqual(labels);
  // Row-major: image i, feature j (R plane 0..1023, G 1024..2047, B 2048..3071).
  for (const [i, j] of [[0, 0], [0, 1], [1, 0], [3, 3071], [2, 1024], [1, 2048], [3, 5]] as const) {
    expect(ds.features[i * D + j]).toBe(pixel(i, j));
  }
  expect(Array.from(ds.features)).toEqual(pixels);
}

describe("MAT v5 reader: CIFAR-10 batches", () => {
  it("reads an uncompressed little-endian uint8 batch, transposing column-major to row-major", () => {
    const bytes = writeMat(cifarMatVars(pixels, labels));
    // The writer really stores column-major: the second data byte is image 1, feature 0.
    const mat = parseMat(bytes, "batch.mat");
    const data = matVariable(mat, "data");
    expect(data.kind).toBe("numeric");
    if (data.kind !== "numeric") return;
    expect(data.dims).toEqual([N, D]);
    expect(data.className).toBe("uint8");
    expect([data.real[0], data.real[1], data.real[N]]).toEqual([pixel(0, 0), pixel(1, 0), pixel(0, 1)]);
    expectCifar(bytes);
  });

  it("reads miCOMPRESSED (zlib) elements", () => {
    const plain = writeMat(cifarMatVars(pixels, labels));
    const packed = writeMat(cifarMatVars(pixels, labels), { compress: true });
    expect(packed.length).toBeLessThan(plain.length);
    expectCifar(packed);
  });

  it("reads big-endian files with double data and int32 labels", () => {
    const bytes = writeMat(cifarMatVars(pixels, labels, { dataClass: "double", labelClass: "int32" }), { bigEndian: true });
    expect(parseMat(bytes, "batch.mat").littleEndian).toBe(false);
    expectCifar(bytes);
    expectCifar(writeMat(cifarMatVars(pixels, labels, { dataClass: "double", labelClass: "int32" }), { bigEndian: true, compress: true }));
  });

  it("reads a double array stored as miUINT8 (MATLAB's compact storage) and single/uint16 storage", () => {
    expectCifar(writeMat(cifarMatVars(pixels, labels, { dataClass: "double", dataStorage: "uint8" })));
    expectCifar(writeMat(cifarMatVars(pixels, labels, { dataClass: "single" })));
    expectCifar(writeMat(cifarMatVars(pixels, labels, { dataClass: "uint16" })));
  });

  it("loads from a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "gradspec-mat-"));
    try {
      const file = join(dir, "data_batch_1.mat");
      writeFileSync(file, writeMat(cifarMatVars(pixels, labels), { compress: true }));
      const ds = loadCifar10Mat(file, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
      expect(ds.name).toBe("cifar10:data_batch_1.mat");
      expect(ds.classNames?.[9]).toBe("j");
      expect(ds.features[3 * D + 3071]).toBe(pixel(3, 3071));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("MAT v5 reader: variables", () => {
  const vars: MatVar[] = [
    { kind: "char", name: "batch_label", rows: ["training batch 1 of 5"] },
    { kind: "char", name: "wide", rows: ["abc", "déf"], encoding: "uint16" },
    { kind: "char", name: "multi", rows: ["ab", "cd", "ef"] },
    { kind: "numeric", name: "x", className: "uint8", rows: 1, cols: 1, rowMajor: [7] },
    { kind: "numeric", name: "pair", className: "int16", rows: 1, cols: 2, rowMajor: [-3, 300] },
    { kind: "numeric", name: "m", className: "double", rows: 2, cols: 3, rowMajor: [1.5, -2, 3, 4, 5e-300, 6] },
    { kind: "numeric", name: "big", className: "int32", rows: 3, cols: 1, rowMajor: [-2147483648, 0, 2147483647] },
  ];

  for (const options of [{}, { compress: true }, { bigEndian: true }, { smallElements: false }]) {
    it(`decodes chars, small elements and numeric classes (${JSON.stringify(options)})`, () => {
      const mat = parseMat(writeMat(vars, options), "v.mat");
      expect([...mat.variables.keys()]).toEqual(vars.map((v) => v.name));
      expect(mat.header).toBe("MATLAB 5.0 MAT-file, Platform: GLNXA64, Created by: gradspec tests");
      const text = (name: string): readonly string[] => {
        const v = matVariable(mat, name);
        return v.kind === "char" ? v.rows : [];
      };
      expect(text("batch_label")).toEqual(["training batch 1 of 5"]);
      expect(text("wide")).toEqual(["abc", "déf"]);
      expect(text("multi")).toEqual(["ab", "cd", "ef"]);
      const numbers = (name: string): number[] => {
        const v = matVariable(mat, name);
        return v.kind === "numeric" ? Array.from(v.real) : [];
      };
      expect(numbers("x")).toEqual([7]);
      expect(numbers("pair")).toEqual([-3, 300]);
      expect(numbers("m")).toEqual([1.5, 4, -2, 5e-300, 3, 6]); // column-major
      expect(numbers("big")).toEqual([-2147483648, 0, 2147483647]);
      const m = matVariable(mat, "m");
      expect(m.dims).toEqual([2, 3]);
      expect(m.className).toBe("double");
    });
  }

  it("packs a 1-byte element into its tag (small-element format)", () => {
    const bytes = writeMat([vars[3]]);
    // 128 header + 8 miMATRIX tag + 16 flags + 16 dims + 8 name "x" (small) + 8 value (small).
    expect(bytes.length).toBe(128 + 8 + 16 + 16 + 8 + 8);
    expect(bytes[bytes.length - 4]).toBe(7);
  });
});

describe("MAT v5 reader: errors name the file and the problem in one line", () => {
  const good = writeMat(cifarMatVars(pixels, labels));

  it("truncated file", () => {
    const e = errorOf(() => parseMat(good.subarray(0, 5000), "cut.mat"));
    expect(e.file).toBe("cut.mat");
    expect(e.message).toMatch(/^cut\.mat: truncated: element of type 14 declares \d+ bytes but only 4864 remain \(at byte 128; MAT v5\)$/);
  });

  it("shorter than the header", () => {
    expect(errorOf(() => parseMat(good.subarray(0, 100), "tiny.mat")).message).toBe(
      "tiny.mat: 100 bytes is shorter than the 128-byte MAT header: truncated or not a MAT v5 file",
    );
  });

  it("not a MAT file", () => {
    const junk = new Uint8Array(3073 * 2).fill(9);
    expect(errorOf(() => parseMat(junk, "data_batch_1.bin")).message).toBe(
      'data_batch_1.bin: not a MAT v5 file (no "MATLAB 5.0 MAT-file" header and no endian indicator IM or MI at bytes 126..127)',
    );
  });

  it("v7.3 (HDF5)", () => {
    const v73 = writeMat([], { header: "MATLAB 7.3 MAT-file, Platform: GLNXA64, HDF5 schema 1.00 ." });
    expect(errorOf(() => parseMat(v73, "new.mat")).message).toMatch(/^new\.mat: is a MATLAB v7\.3 \(HDF5\) file, which is not supported/);
  });

  it("missing variable", () => {
    const onlyData = writeMat([cifarMatVars(pixels, labels)[0], cifarMatVars(pixels, labels)[2]]);
    expect(errorOf(() => parseCifar10Mat(onlyData, "b.mat")).message).toBe(
      'b.mat: missing variable "labels" (the file holds data, batch_label)',
    );
  });

  it("corrupt and truncated compressed data", () => {
    const packed = writeMat(cifarMatVars(pixels, labels), { compress: true });
    const corrupt = packed.slice();
    for (let k = 200; k < 260; k++) corrupt[k] ^= 0x5a;
    expect(errorOf(() => parseMat(corrupt, "z.mat")).message).toMatch(/^z\.mat: corrupt compressed element of \d+ bytes \(zlib: .+\) \(at byte 128; MAT v5\)$/);
    // Cut inside the zlib stream but with a consistent tag: the stream ends early.
    const tagSize = new DataView(packed.buffer).getUint32(132, true);
    const cut = packed.slice(0, 136 + 300);
    new DataView(cut.buffer).setUint32(132, 300, true);
    expect(tagSize).toBeGreaterThan(300);
    expect(errorOf(() => parseMat(cut, "z.mat")).message).toMatch(/^z\.mat: corrupt compressed element of 300 bytes \(zlib: unexpected end of file\)/);
  });

  it("shapes and values that are not CIFAR-10", () => {
    const narrow = writeMat(cifarMatVars(pixels.slice(0, N * 100), labels));
    expect(errorOf(() => parseCifar10Mat(narrow, "n.mat")).message).toBe('n.mat: variable "data" is 4×100, expected n×3072');
    const transposed = writeMat([
      { kind: "numeric", name: "data", className: "uint8", rows: D, cols: N, rowMajor: pixels },
      { kind: "numeric", name: "labels", className: "uint8", rows: N, cols: 1, rowMajor: labels },
    ]);
    expect(errorOf(() => parseCifar10Mat(transposed, "t.mat")).message).toBe(
      't.mat: variable "data" is 3072×4, expected n×3072 (transposed? images must be rows)',
    );
    const fewLabels = writeMat([
      cifarMatVars(pixels, labels)[0],
      { kind: "numeric", name: "labels", className: "uint8", rows: 3, cols: 1, rowMajor: [1, 2, 3] },
    ]);
    expect(errorOf(() => parseCifar10Mat(fewLabels, "l.mat")).message).toBe(
      'l.mat: variable "labels" is 3×1, expected 4×1 to match "data" (4×3072)',
    );
    const badLabel = writeMat(cifarMatVars(pixels, [1, 2, 10, 3]));
    expect(errorOf(() => parseCifar10Mat(badLabel, "l.mat")).message).toBe('l.mat: variable "labels" element 3 is 10, expected an integer in 0..9');
    const fractional = pixels.slice();
    fractional[D + 2] = 0.5; // image 1, feature 2 → MATLAB element (2, 3)
    const badPixel = writeMat(cifarMatVars(fractional, labels, { dataClass: "double" }));
    expect(errorOf(() => parseCifar10Mat(badPixel, "p.mat")).message).toBe(
      'p.mat: variable "data" element (2, 3) is 0.5, expected an integer in 0..255',
    );
    const charData = writeMat([{ kind: "char", name: "data", rows: ["x"] }, cifarMatVars(pixels, labels)[1]]);
    expect(errorOf(() => parseCifar10Mat(charData, "c.mat")).message).toBe('c.mat: variable "data" is a char array, expected a numeric matrix');
  });

  it("missing file says where to get the data", () => {
    const e = errorOf(() => loadCifar10Mat(join(tmpdir(), "gradspec-no-such-dir", "data_batch_1.mat")));
    expect(e.message).toMatch(/data_batch_1\.mat: not found\. CIFAR-10 MATLAB batches are at https:\/\/www\.cs\.toronto\.edu\/~kriz\/cifar\.html \(cifar-10-matlab\.tar\.gz\); set data\.dir in the spec or GRADSPEC_DATA/);
  });
});


describe("rowMajorBytes", () => {
  const matrix = (rows: number, cols: number, real: MatNumeric["real"]): MatNumeric => ({
    kind: "numeric", name: "a", className: "uint8", dims: [rows, cols], real, complex: false, logical: false,
  });
  const value = (i: number, j: number): number => (i * 31 + j * 17 + ((i * j) >> 3)) & 255;

  for (const [rows, cols] of [[300, 3072], [130, 10], [1, 7], [257, 260]] as const) {
    it(`transposes ${rows}×${cols} column-major bytes (tiles, ragged edges, packed and plain paths)`, () => {
      const colMajor = new Uint8Array(rows * cols);
      for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) colMajor[j * rows + i] = value(i, j);
      const out = rowMajorBytes(matrix(rows, cols, colMajor), "m.mat");
      let mismatches = 0;
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (out[i * cols + j] !== value(i, j)) mismatches++;
      expect(mismatches).toBe(0);
      const asDouble = rowMajorBytes(matrix(rows, cols, Float64Array.from(colMajor)), "m.mat");
      expect(Buffer.compare(asDouble, out)).toBe(0);
    });
  }

  it("rejects values that are not bytes, naming the 1-based MATLAB element", () => {
    expect(errorOf(() => rowMajorBytes(matrix(2, 2, Float64Array.from([0, 1, 256, 3])), "m.mat")).message).toBe(
      'm.mat: variable "a" element (1, 2) is 256, expected an integer in 0..255',
    );
    expect(errorOf(() => rowMajorBytes(matrix(2, 2, Int32Array.from([0, -1, 2, 3])), "m.mat")).message).toBe(
      'm.mat: variable "a" element (2, 1) is -1, expected an integer in 0..255',
    );
    expect(errorOf(() => rowMajorBytes(matrix(1, 1, Float64Array.from([NaN])), "m.mat")).message).toBe(
      'm.mat: variable "a" element (1, 1) is NaN, expected an integer in 0..255',
    );
  });
});

describe("MAT v5 reader: a compressed element inflates only as far as it declares", () => {
  const header = writeMat([]).subarray(0, 128);
  /** A file of one miCOMPRESSED element holding a miMATRIX tag that declares `declared` bytes, followed by `body` zero bytes. */
  function bomb(declared: number, body: number): Uint8Array {
    const inner = new Uint8Array(8 + body);
    const view = new DataView(inner.buffer);
    view.setUint32(0, 14, true);
    view.setUint32(4, declared, true);
    const compressed = deflateSync(inner);
    const out = new Uint8Array(128 + 8 + compressed.length + 8);
    out.set(header);
    const tag = new DataView(out.buffer, 128, 8);
    tag.setUint32(0, 15, true);
    tag.setUint32(4, compressed.length, true);
    out.set(compressed, 136);
    return out.subarray(0, 136 + compressed.length);
  }

  it("stops a zlib bomb at the size its element tag declares", () => {
    const bytes = bomb(16, 16 << 20);
    expect(bytes.length).toBeLessThan(1 << 20);
    expect(errorOf(() => parseMat(bytes, "bomb.mat")).message).toBe(
      "bomb.mat: compressed element inflates to more than the 24 bytes its element tag declares (at byte 128; MAT v5)",
    );
  });

  it("refuses a declared size beyond the bound before inflating", () => {
    const bytes = bomb(0xfffffff0, 0);
    expect(errorOf(() => parseMat(bytes, "huge.mat", { maxInflatedBytes: 1 << 20 })).message).toBe(
      `huge.mat: compressed element declares ${8 + 0xfffffff0} bytes uncompressed, more than the ${1 << 20} accepted (at byte 128; MAT v5)`,
    );
    expect(errorOf(() => parseCifar10Mat(bytes, "data_batch_1.mat")).message).toMatch(/^data_batch_1\.mat: compressed element declares 4294967288 bytes uncompressed, more than the \d+ accepted/);
  });

  it("still reads honest compressed files", () => {
    expectCifar(writeMat(cifarMatVars(pixels, labels), { compress: true }));
  });
});
