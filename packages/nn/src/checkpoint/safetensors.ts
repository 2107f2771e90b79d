/**
 * Reader and writer for the public safetensors format (https://github.com/huggingface/safetensors):
 *
 *   u64 little-endian N | N bytes of UTF-8 JSON header (space-padded) | little-endian data buffer
 *
 * The header maps each tensor name to {dtype, shape, data_offsets: [begin, end]} (offsets relative to
 * the start of the data buffer) plus an optional "__metadata__" object of string values. Tensor bytes
 * are copied verbatim, so float64 values (NaN payloads, −0, subnormals) round-trip bit for bit.
 */

export type SafetensorsDtype = "F64" | "F32" | "I64" | "I32" | "U8";

export type TensorData = Float64Array | Float32Array | BigInt64Array | Int32Array | Uint8Array;

export interface TensorInput {
  readonly shape: readonly number[];
  readonly data: TensorData;
}

export interface DecodedTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: TensorData;
}

export interface DecodedSafetensors {
  tensors: Record<string, DecodedTensor>;
  metadata: Record<string, string>;
  /** Tensor names in the order of their data in the file. */
  names: string[];
}

/** Files whose header claims more than this are refused (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = "__metadata__";
const ALIGN = 8;

interface DtypeInfo {
  readonly itemsize: number;
  readonly view: (buffer: ArrayBuffer, length: number) => TensorData;
}

const DTYPES: Readonly<Record<SafetensorsDtype, DtypeInfo>> = {
  F64: { itemsize: 8, view: (b, n) => new Float64Array(b, 0, n) },
  F32: { itemsize: 4, view: (b, n) => new Float32Array(b, 0, n) },
  I64: { itemsize: 8, view: (b, n) => new BigInt64Array(b, 0, n) },
  I32: { itemsize: 4, view: (b, n) => new Int32Array(b, 0, n) },
  U8: { itemsize: 1, view: (b, n) => new Uint8Array(b, 0, n) },
};

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class SafetensorsError extends Error {
  override name = "SafetensorsError";
}

function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(DTYPES, value);
}

export function dtypeOf(data: TensorData): SafetensorsDtype {
  if (data instanceof Float64Array) return "F64";
  if (data instanceof Float32Array) return "F32";
  if (data instanceof BigInt64Array) return "I64";
  if (data instanceof Int32Array) return "I32";
  return "U8";
}

export function itemsizeOf(dtype: SafetensorsDtype): number {
  return DTYPES[dtype].itemsize;
}

function isShape(shape: unknown): shape is number[] {
  return Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0);
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Copies `length` items of `itemsize` bytes, reversing each item's bytes when `swap` is set. */
function copyBytes(src: Uint8Array, dst: Uint8Array, itemsize: number, swap: boolean): void {
  if (!swap || itemsize === 1) {
    dst.set(src);
    return;
  }
  for (let i = 0; i < src.length; i += itemsize) {
    for (let j = 0; j < itemsize; j++) dst[i + j] = src[i + itemsize - 1 - j];
  }
}

/** Little-endian bytes of a typed array (a view, or a swapped copy on a big-endian host). */
function littleEndianBytes(data: TensorData): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN_HOST || data.BYTES_PER_ELEMENT === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  copyBytes(bytes, out, data.BYTES_PER_ELEMENT, true);
  return out;
}

/**
 * Serializes named tensors. F64 for Float64Array, F32 for Float32Array, I64 for BigInt64Array, I32 for
 * Int32Array, U8 for Uint8Array. Data are laid out by decreasing item size (then in the given order),
 * so every tensor is aligned to its item size within the file.
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, TensorInput>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const entries = Object.entries(tensors).map(([name, tensor]) => {
    if (name === METADATA_KEY) throw new SafetensorsError(`safetensors: "${METADATA_KEY}" cannot be a tensor name`);
    if (name.length === 0) throw new SafetensorsError("safetensors: tensor names must not be empty");
    if (!isShape(tensor.shape)) {
      throw new SafetensorsError(`safetensors: tensor "${name}": shape ${JSON.stringify(tensor.shape)} is not a list of non-negative integers`);
    }
    const count = elementCount(tensor.shape);
    if (count !== tensor.data.length) {
      throw new SafetensorsError(`safetensors: tensor "${name}": shape ${formatShape(tensor.shape)} has ${count} elements but data has ${tensor.data.length}`);
    }
    return { name, dtype: dtypeOf(tensor.data), shape: [...tensor.shape], data: tensor.data };
  });
  entries.sort((a, b) => itemsizeOf(b.dtype) - itemsizeOf(a.dtype)); // stable: keeps the given order within a size

  // The JSON is assembled by hand so that key order is exactly the data order (JS objects would move
  // integer-like names first).
  const parts: string[] = [];
  if (metadata !== undefined) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== "string") throw new SafetensorsError(`safetensors: metadata "${key}" must be a string, got ${typeof value}`);
    }
    parts.push(`${JSON.stringify(METADATA_KEY)}:${JSON.stringify(metadata)}`);
  }
  let offset = 0;
  for (const e of entries) {
    const end = offset + e.data.byteLength;
    parts.push(`${JSON.stringify(e.name)}:${JSON.stringify({ dtype: e.dtype, shape: e.shape, data_offsets: [offset, end] })}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(",")}}`);
  const headerLength = Math.ceil(json.length / ALIGN) * ALIGN;

  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const e of entries) {
    out.set(littleEndianBytes(e.data), at);
    at += e.data.byteLength;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface HeaderEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(name: string, value: unknown, fail: (msg: string) => never): HeaderEntry {
  const where = `tensor "${name}"`;
  if (!isPlainObject(value)) fail(`${where}: header entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (!isDtype(dtype)) fail(`${where}: unsupported dtype ${JSON.stringify(dtype)} (expected one of ${Object.keys(DTYPES).join(", ")})`);
  if (!isShape(shape)) fail(`${where}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(`${where}: data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
  const count = elementCount(shape);
  const expected = count * itemsizeOf(dtype);
  if (!Number.isSafeInteger(count) || end - begin !== expected) {
    fail(`${where}: data_offsets [${begin}, ${end}] span ${end - begin} bytes but shape ${formatShape(shape)} of ${dtype} needs ${expected}`);
  }
  return { name, dtype, shape, begin, end };
}

function parseMetadata(value: unknown, fail: (msg: string) => never): Record<string, string> {
  if (!isPlainObject(value)) fail(`"${METADATA_KEY}" is not an object`);
  const metadata: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") fail(`"${METADATA_KEY}" value "${key}" is not a string`);
    metadata[key] = v;
  }
  return metadata;
}

/**
 * Parses and validates a safetensors file. Every problem (truncation, bad JSON, unknown dtype, size
 * mismatch, gaps/overlaps/out-of-range offsets) throws a one-line SafetensorsError naming `source`
 * and, where it applies, the tensor. Tensor data are copied into fresh, aligned typed arrays.
 */
export function decodeSafetensors(bytes: Uint8Array, source = "<bytes>"): DecodedSafetensors {
  const fail: (msg: string) => never = (msg) => {
    throw new SafetensorsError(`${source}: ${msg}`);
  };
  if (bytes.length < 8) fail(`truncated: ${bytes.length} bytes, shorter than the 8-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) fail(`header length ${headerLength} exceeds the ${bytes.length - 8} bytes after it (truncated or not safetensors)`);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) fail(`header length ${headerLength} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const n = Number(headerLength);
  const headerBytes = bytes.subarray(8, 8 + n);
  if (n === 0 || headerBytes[0] !== 0x7b) fail("header does not start with '{'");

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(headerBytes);
  } catch {
    return fail("header is not valid UTF-8");
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`header is not valid JSON (${(e instanceof Error ? e.message : String(e)).split("\n")[0]})`);
  }
  if (!isPlainObject(header)) fail("header is not a JSON object");

  const data = bytes.subarray(8 + n);
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = parseMetadata(value, fail);
    else entries.push(parseEntry(name, value, fail));
  }

  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  let previous: string | undefined;
  for (const e of entries) {
    if (e.end > data.length) fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] exceed the ${data.length}-byte data buffer (truncated?)`);
    if (e.begin < expectedBegin) fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] overlap tensor "${previous}" (ends at ${expectedBegin})`);
    if (e.begin > expectedBegin) fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] leave a gap after byte ${expectedBegin}`);
    expectedBegin = e.end;
    previous = e.name;
  }
  if (expectedBegin !== data.length) fail(`data buffer has ${data.length} bytes but the tensors cover ${expectedBegin} (trailing bytes)`);

  const tensors: Record<string, DecodedTensor> = {};
  for (const e of entries) {
    const info = DTYPES[e.dtype];
    const buffer = new ArrayBuffer(e.end - e.begin);
    copyBytes(data.subarray(e.begin, e.end), new Uint8Array(buffer), info.itemsize, !LITTLE_ENDIAN_HOST);
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data: info.view(buffer, elementCount(e.shape)) };
  }
  return { tensors, metadata, names: entries.map((e) => e.name) };
}
