import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from "../packages/nn/src/checkpoint/safetensors.js";
import { writeFileAtomic, writeFileAtomicSync } from "../packages/nn/src/checkpoint/atomic-write.js";

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const u64le = (n: number): number[] => Array.from({ length: 8 }, (_, i) => (i < 6 ? Math.floor(n / 2 ** (8 * i)) % 256 : 0));
const pad8 = (header: string): string => header + " ".repeat((8 - (header.length % 8)) % 8);

/** A file assembled byte by byte from the public spec: u64 LE header length, JSON header, LE data. */
function handMade(header: string, data: number[]): Uint8Array {
  const padded = pad8(header);
  return Uint8Array.from([...u64le(padded.length), ...ascii(padded), ...data]);
}

const bitsOf = (a: Float64Array): string[] =>
  Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length), (b) => b.toString(16));

function f64FromBits(...hex: string[]): Float64Array {
  return new Float64Array(BigUint64Array.from(hex, (h) => BigInt(`0x${h}`)).buffer);
}

describe("safetensors: the public byte layout", () => {
  // 1.0 = 0x3FF0000000000000, -2.5 = 0xC004000000000000; little-endian on disk.
  const ONE = [0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
  const MINUS_TWO_AND_HALF = [0, 0, 0, 0, 0, 0, 0x04, 0xc0];

  it("writes exactly the bytes constructed by hand", () => {
    const header = '{"__metadata__":{"format":"gradspec"},"w":{"dtype":"F64","shape":[1,2],"data_offsets":[0,16]},' +
      '"y":{"dtype":"U8","shape":[3],"data_offsets":[16,19]}}';
    const expected = handMade(header, [...ONE, ...MINUS_TWO_AND_HALF, 7, 0, 255]);
    const bytes = encodeSafetensors(
      { w: { shape: [1, 2], data: Float64Array.of(1, -2.5) }, y: { shape: [3], data: Uint8Array.of(7, 0, 255) } },
      { format: "gradspec" },
    );
    expect(Array.from(bytes)).toEqual(Array.from(expected));
  });

  it("reads a hand-made file written in another key order and spacing", () => {
    const header = '{ "b": {"shape": [2], "dtype": "I32", "data_offsets": [16, 24]},\n' +
      '  "a": {"data_offsets": [0, 16], "dtype": "F64", "shape": [2]}, "__metadata__": {"k": "v"} }';
    const file = handMade(header, [...ONE, ...MINUS_TWO_AND_HALF, 0xff, 0xff, 0xff, 0xff, 5, 0, 0, 0]);
    const { tensors, metadata, names } = decodeSafetensors(file, "hand.safetensors");
    expect(metadata).toEqual({ k: "v" });
    expect(names).toEqual(["a", "b"]);
    expect(tensors.a).toEqual({ dtype: "F64", shape: [2], data: Float64Array.of(1, -2.5) });
    expect(tensors.b).toEqual({ dtype: "I32", shape: [2], data: Int32Array.of(-1, 5) });
  });

  it("reads F32 and I64 tensors", () => {
    const header = '{"h":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"f":{"dtype":"F32","shape":[],"data_offsets":[8,12]}}';
    const file = handMade(header, [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0xc0, 0x3f]);
    const { tensors } = decodeSafetensors(file);
    expect(tensors.h.data).toEqual(BigInt64Array.of(-2n));
    expect(tensors.f).toEqual({ dtype: "F32", shape: [], data: Float32Array.of(1.5) });
  });

  it("pads the header with spaces to a multiple of 8 and aligns every tensor to its item size", () => {
    for (const name of ["a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh"]) {
      const bytes = encodeSafetensors({
        [name]: { shape: [1], data: Uint8Array.of(1) },
        i: { shape: [1], data: Int32Array.of(2) },
        x: { shape: [1], data: Float64Array.of(3) },
      });
      const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      expect(n % 8).toBe(0);
      const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
      expect(text).toMatch(/^\{.*\} *$/s);
      const header = JSON.parse(text) as Record<string, { data_offsets: [number, number] }>;
      expect(header.x.data_offsets).toEqual([0, 8]);
      expect(header.i.data_offsets).toEqual([8, 12]);
      expect(header[name].data_offsets).toEqual([12, 13]);
    }
  });
});

describe("safetensors: round trip", () => {
  it("is bit-identical for NaN payloads, -0, subnormals, infinities and extremes", () => {
    const data = f64FromBits(
      "7ff8000000000000", // canonical NaN
      "7ff0000000000001", // signalling NaN, payload 1
      "fff8dead0000beef", // negative quiet NaN with payload
      "8000000000000000", // -0
      "0000000000000001", // smallest subnormal
      "800fffffffffffff", // largest negative subnormal
      "7ff0000000000000", // +Inf
      "7fefffffffffffff", // max
      "3fb999999999999a", // 0.1
    );
    const decoded = decodeSafetensors(encodeSafetensors({ x: { shape: [3, 3], data } }));
    const x = decoded.tensors.x.data;
    expect(x).toBeInstanceOf(Float64Array);
    expect(bitsOf(x as Float64Array)).toEqual(bitsOf(data));
    expect(decoded.tensors.x.shape).toEqual([3, 3]);
  });

  it("keeps empty tensors, scalars, integer labels, metadata and integer-like names", () => {
    const tensors = {
      empty: { shape: [0], data: new Float64Array(0) },
      empty2: { shape: [4, 0], data: new Float64Array(0) },
      scalar: { shape: [], data: Float64Array.of(-0) },
      "10": { shape: [2], data: Float64Array.of(1, 2) },
      labels: { shape: [3], data: Int32Array.of(3, -8, 2147483647) },
      images: { shape: [2, 2], data: Uint8Array.of(0, 128, 255, 1) },
    };
    const metadata = { epoch: "3", note: "ünïcødé \"quoted\"" };
    const { tensors: out, metadata: meta, names } = decodeSafetensors(encodeSafetensors(tensors, metadata));
    expect(meta).toEqual(metadata);
    expect(names).toEqual(Object.keys(tensors)); // JS puts "10" first; the file keeps that order
    for (const [name, t] of Object.entries(tensors)) {
      expect(out[name].shape).toEqual(t.shape);
      expect(out[name].data).toEqual(t.data);
      expect(out[name].data.constructor).toBe(t.data.constructor);
    }
    expect(Object.is((out.scalar.data as Float64Array)[0], -0)).toBe(true);
    expect(decodeSafetensors(encodeSafetensors({})).tensors).toEqual({});
  });

  it("reads tensors from an unaligned view of a larger buffer", () => {
    const bytes = encodeSafetensors({ x: { shape: [2], data: Float64Array.of(Math.PI, Math.E) } });
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    expect(decodeSafetensors(big.subarray(3)).tensors.x.data).toEqual(Float64Array.of(Math.PI, Math.E));
  });

  it("writes from a subarray view without its neighbours", () => {
    const parent = Float64Array.of(9, 1, 2, 9);
    const { tensors } = decodeSafetensors(encodeSafetensors({ v: { shape: [2], data: parent.subarray(1, 3) } }));
    expect(tensors.v.data).toEqual(Float64Array.of(1, 2));
  });

  it("refuses bad input when writing", () => {
    expect(() => encodeSafetensors({ w: { shape: [2, 2], data: new Float64Array(3) } })).toThrow(/tensor "w": shape \[2, 2\] has 4 elements but data has 3/);
    expect(() => encodeSafetensors({ w: { shape: [-1], data: new Float64Array(0) } })).toThrow(/tensor "w"/);
    expect(() => encodeSafetensors({ __metadata__: { shape: [0], data: new Float64Array(0) } })).toThrow(/__metadata__/);
    expect(() => encodeSafetensors({}, { n: 3 as unknown as string })).toThrow(/metadata "n" must be a string/);
  });
});

describe("safetensors: corrupt and truncated input", () => {
  const good = encodeSafetensors({
    W1: { shape: [2, 2], data: Float64Array.of(1, 2, 3, 4) },
    b1: { shape: [2], data: Float64Array.of(5, 6) },
  });
  const headerLength = Number(new DataView(good.buffer).getBigUint64(0, true));

  const withHeader = (header: string, dataBytes: number): Uint8Array => handMade(header, new Array<number>(dataBytes).fill(0));
  const expectError = (bytes: Uint8Array, pattern: RegExp): void => {
    let error: unknown;
    try {
      decodeSafetensors(bytes, "ckpt/model.safetensors");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SafetensorsError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    expect(message.startsWith("ckpt/model.safetensors: ")).toBe(true);
    expect(message).toMatch(pattern);
  };

  it("names the source and the problem for truncation", () => {
    expectError(good.subarray(0, 5), /truncated: 5 bytes/);
    expectError(good.subarray(0, 8 + headerLength - 1), /header length \d+ exceeds the \d+ bytes after it/);
    expectError(good.subarray(0, good.length - 1), /tensor "b1": data_offsets \[32, 48\] exceed the 47-byte data buffer/);
    const huge = new Uint8Array(good);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
    expectError(huge, /header length 9223372036854775808 exceeds/);
  });

  it("rejects headers that are not JSON objects", () => {
    const notJson = new Uint8Array(good);
    notJson[8 + 5] = 0x7d; // a stray '}'
    expectError(notJson, /header is not valid JSON/);
    expectError(withHeader("[1,2]", 0), /header does not start with '\{'/);
    expectError(handMade("", []), /header does not start/);
    expectError(Uint8Array.from([...u64le(8), 0x7b, 0xff, 0xfe, 0x7d, 0x20, 0x20, 0x20, 0x20]), /not valid UTF-8/);
  });

  it("checks dtype, shape and sizes per tensor", () => {
    expectError(withHeader('{"x":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}}', 2), /tensor "x": unsupported dtype "BF16"/);
    expectError(withHeader('{"x":{"dtype":"F64","shape":[1.5],"data_offsets":[0,8]}}', 8), /tensor "x": shape \[1.5\]/);
    expectError(withHeader('{"x":{"dtype":"F64","shape":[2],"data_offsets":[0]}}', 16), /tensor "x": data_offsets \[0\] is not a pair/);
    expectError(withHeader('{"x":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}', 8), /tensor "x": data_offsets \[0, 8\] span 8 bytes but shape \[2\] of F64 needs 16/);
    expectError(withHeader('{"x":{"dtype":"F64","shape":[0],"data_offsets":[8,0]}}', 8), /tensor "x": data_offsets \[8, 0\] end before/);
    expectError(withHeader('{"x":3}', 0), /tensor "x": header entry is not an object/);
    expectError(withHeader('{"__metadata__":{"epoch":3}}', 0), /"__metadata__" value "epoch" is not a string/);
  });

  it("requires contiguous, non-overlapping offsets that cover the whole buffer", () => {
    expectError(
      withHeader('{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"b":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}', 16),
      /tensor "b": data_offsets \[8, 16\] overlap tensor "a"/,
    );
    expectError(
      withHeader('{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1],"data_offsets":[16,24]}}', 24),
      /tensor "b": data_offsets \[16, 24\] leave a gap after byte 8/,
    );
    expectError(withHeader('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', 3), /data buffer has 3 bytes but the tensors cover 1/);
  });
});

describe("writeFileAtomic", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradspec-atomic-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("replaces a file completely and leaves no temporary files", async () => {
    const path = join(dir, "model.safetensors");
    writeFileSync(path, "old contents that are longer than the new ones");
    const bytes = encodeSafetensors({ x: { shape: [1], data: Float64Array.of(42) } });
    await writeFileAtomic(path, bytes);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    writeFileAtomicSync(join(dir, "notes.md"), "héllo\n");
    expect(readFileSync(join(dir, "notes.md"), "utf8")).toBe("héllo\n");
    expect(readdirSync(dir).sort()).toEqual(["model.safetensors", "notes.md"]);
  });

  it("keeps the old file and cleans up when the write fails", async () => {
    const path = join(dir, "keep.txt");
    writeFileSync(path, "precious");
    await expect(writeFileAtomic(join(dir, "missing-folder", "x.txt"), "a")).rejects.toThrow(/ENOENT/);
    const folder = join(dir, "target");
    mkdirSync(folder);
    writeFileSync(join(folder, "inside.txt"), "x");
    expect(() => writeFileAtomicSync(folder, "a file cannot replace a non-empty folder")).toThrow();
    await expect(writeFileAtomic(folder, "nor asynchronously")).rejects.toThrow();
    expect(readFileSync(path, "utf8")).toBe("precious");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
