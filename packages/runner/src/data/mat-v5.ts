import { constants, inflateSync } from "node:zlib";
import { TextDecoder } from "node:util";
import { DataError, type DataHint } from "./errors.js";
import { readDataFile } from "./files.js";
import { errorCode } from "../error-code.js";

/**
 * A reader for MATLAB level-5 MAT files (what MATLAB's save -v6/-v7 and scipy.io.savemat write):
 * 128-byte header, either byte order, miMATRIX and miCOMPRESSED (zlib) elements, the small-element
 * format, numeric arrays (real part, complex flagged) and char arrays. Cells, structs, objects and
 * sparse arrays are listed by name but not decoded. v7.3 files (HDF5) are refused with a clear message.
 */

export type MatClass =
  | "cell" | "struct" | "object" | "char" | "sparse" | "double" | "single" | "int8" | "uint8"
  | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "function" | "opaque" | "unknown";

/** Numeric storage as written in the file (MATLAB may store e.g. a double array as miUINT8). */
export type MatNumericData =
  | Float64Array | Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

export interface MatNumeric {
  readonly kind: "numeric";
  readonly name: string;
  /** The MATLAB class of the array (what the values mean), independent of the storage type. */
  readonly className: MatClass;
  readonly dims: readonly number[];
  /**
   * Real part in MATLAB's column-major order, typed by the file's storage type; int64/uint64 become
   * Float64Array. May be a view on the file's (or the inflated element's) bytes.
   */
  readonly real: MatNumericData;
  readonly complex: boolean;
  readonly logical: boolean;
}

export interface MatChar {
  readonly kind: "char";
  readonly name: string;
  readonly className: "char";
  readonly dims: readonly number[];
  /** One string per row of the (2-D) char array; a 1×n array gives one string. */
  readonly rows: readonly string[];
}

/** A variable whose class this reader does not decode (cell, struct, object, sparse, …). */
export interface MatUnsupported {
  readonly kind: "unsupported";
  readonly name: string;
  readonly className: MatClass;
  readonly dims: readonly number[];
}

export type MatVariable = MatNumeric | MatChar | MatUnsupported;

export interface MatFile {
  readonly file: string;
  /** The descriptive text of the header, e.g. "MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: …". */
  readonly header: string;
  readonly littleEndian: boolean;
  readonly variables: ReadonlyMap<string, MatVariable>;
}

const HEADER_BYTES = 128;

const MI_INT8 = 1, MI_UINT8 = 2, MI_INT16 = 3, MI_UINT16 = 4, MI_INT32 = 5, MI_UINT32 = 6;
const MI_SINGLE = 7, MI_DOUBLE = 9, MI_INT64 = 12, MI_UINT64 = 13, MI_MATRIX = 14, MI_COMPRESSED = 15;
const MI_UTF8 = 16, MI_UTF16 = 17, MI_UTF32 = 18;

const CLASS_NAMES: readonly MatClass[] = [
  "unknown", "cell", "struct", "object", "char", "sparse", "double", "single", "int8", "uint8",
  "int16", "uint16", "int32", "uint32", "int64", "uint64", "function", "opaque",
];

const NUMERIC_CLASSES: ReadonlySet<MatClass> = new Set<MatClass>([
  "double", "single", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
]);

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const utf8 = new TextDecoder("utf-8");

export interface MatOptions {
  /**
   * The largest uncompressed size a compressed element may declare (default 1 GiB). Each element is
   * inflated with its declared size as the bound, so a zlib bomb fails after at most this many bytes.
   */
  readonly maxInflatedBytes?: number;
}

const DEFAULT_MAX_INFLATED = 1 << 30;

/** Parses the bytes of a MAT v5 file; `file` names it in messages. */
export function parseMat(bytes: Uint8Array, file: string, options: MatOptions = {}): MatFile {
  if (bytes.length < HEADER_BYTES) {
    throw new DataError(file, `${bytes.length} bytes is shorter than the 128-byte MAT header: truncated or not a MAT v5 file`);
  }
  const header = latin1(bytes.subarray(0, 116)).replace(/[\s\0]+$/, "");
  const mark = String.fromCharCode(bytes[126], bytes[127]);
  if (mark !== "IM" && mark !== "MI") {
    const what = header.startsWith("MATLAB") ? `header "${header.slice(0, 40)}" but` : "no \"MATLAB 5.0 MAT-file\" header and";
    throw new DataError(file, `not a MAT v5 file (${what} no endian indicator IM or MI at bytes 126..127)`);
  }
  const littleEndian = mark === "IM";
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(124, littleEndian);
  if (version === 0x0200 || header.startsWith("MATLAB 7.3")) {
    throw new DataError(file, "is a MATLAB v7.3 (HDF5) file, which is not supported: save it with save -v7 or scipy.io.savemat");
  }
  if (version !== 0x0100) {
    throw new DataError(file, `not a MAT v5 file (version 0x${version.toString(16).padStart(4, "0")}, expected 0x0100)`);
  }
  const variables = new Map<string, MatVariable>();
  const reader = new Reader(bytes, littleEndian, file, null, options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED);
  reader.readTopLevel(HEADER_BYTES, bytes.length, variables);
  return { file, header, littleEndian, variables };
}

/** Reads and parses a MAT v5 file. */
export function readMat(file: string, hint: DataHint = "cifar10-mat", options: MatOptions = {}): MatFile {
  return parseMat(readDataFile(file, hint), file, options);
}

/** The variable `name`, or a one-line DataError listing what the file holds. */
export function matVariable(mat: MatFile, name: string): MatVariable {
  const variable = mat.variables.get(name);
  if (variable === undefined) {
    const held = [...mat.variables.keys()];
    throw new DataError(mat.file, `missing variable "${name}" (the file holds ${held.length > 0 ? held.join(", ") : "no variables"})`);
  }
  return variable;
}

interface Tag {
  readonly type: number;
  readonly size: number;
  readonly start: number;
  readonly next: number;
}

class Reader {
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly littleEndian: boolean,
    private readonly file: string,
    /** Byte offset of the compressed element this buffer was inflated from, or null for the file itself. */
    private readonly inflatedFrom: number | null,
    private readonly maxInflatedBytes: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  readTopLevel(pos: number, end: number, out: Map<string, MatVariable>): void {
    while (pos < end) {
      const tag = this.tag(pos, end);
      if (tag.type === MI_COMPRESSED) {
        if (this.inflatedFrom !== null) throw this.error(pos, "nested compressed element");
        const inflated = this.inflate(pos, tag);
        new Reader(inflated, this.littleEndian, this.file, pos, this.maxInflatedBytes).readTopLevel(0, inflated.length, out);
      } else if (tag.type === MI_MATRIX) {
        const variable = this.matrix(tag);
        if (variable !== null) out.set(variable.name, variable);
      } else {
        throw this.error(pos, `unexpected top-level element type ${tag.type} (expected miMATRIX 14 or miCOMPRESSED 15)`);
      }
      pos = tag.next;
    }
  }

  /** Inflates a compressed element, bounded by the size its inner element tag declares. */
  private inflate(pos: number, tag: Tag): Uint8Array {
    const compressed = this.bytes.subarray(tag.start, tag.start + tag.size);
    const declared = this.declaredInflatedSize(pos, compressed);
    if (declared > this.maxInflatedBytes) {
      throw this.error(pos, `compressed element declares ${declared} bytes uncompressed, more than the ${this.maxInflatedBytes} accepted`);
    }
    try {
      return inflateSync(compressed, { maxOutputLength: Math.max(declared, 1) });
    } catch (error) {
      if (errorCode(error) === "ERR_BUFFER_TOO_LARGE") {
        throw this.error(pos, `compressed element inflates to more than the ${declared} bytes its element tag declares`);
      }
      throw this.error(pos, `corrupt compressed element of ${tag.size} bytes (zlib: ${zlibMessage(error)})`);
    }
  }

  /** The size of the element inside a compressed one (its 8-byte tag plus the byte count it declares, padded to 8). */
  private declaredInflatedSize(pos: number, compressed: Uint8Array): number {
    // Deflate expands at most ~1032:1, so these prefixes inflate to at most ~4 MB.
    let head: Uint8Array = new Uint8Array(0);
    for (let take = 64; head.length < 8 && take <= 4096; take *= 4) {
      try {
        head = inflateSync(compressed.subarray(0, take), { finishFlush: constants.Z_SYNC_FLUSH });
      } catch (error) {
        throw this.error(pos, `corrupt compressed element of ${compressed.length} bytes (zlib: ${zlibMessage(error)})`);
      }
      if (take >= compressed.length) break;
    }
    if (head.length < 8) throw this.error(pos, `compressed element of ${compressed.length} bytes holds no complete element tag`);
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const word = view.getUint32(0, this.littleEndian);
    if (word >>> 16 !== 0) return 8;
    const size = view.getUint32(4, this.littleEndian);
    return 8 + Math.ceil(size / 8) * 8;
  }

  /** Reads the tag at `pos`; the element must end by `end`. */
  private tag(pos: number, end: number): Tag {
    if (pos + 8 > end) throw this.error(pos, `truncated: ${end - pos} bytes left where an 8-byte element tag was expected`);
    const word = this.view.getUint32(pos, this.littleEndian);
    if (word >>> 16 !== 0) {
      const size = word >>> 16;
      if (size > 4) throw this.error(pos, `corrupt small element (declares ${size} bytes, at most 4 fit)`);
      return { type: word & 0xffff, size, start: pos + 4, next: pos + 8 };
    }
    const size = this.view.getUint32(pos + 4, this.littleEndian);
    const start = pos + 8;
    if (size > end - start) {
      throw this.error(pos, `truncated: element of type ${word} declares ${size} bytes but only ${end - start} remain`);
    }
    const padded = word === MI_COMPRESSED ? size : (size + 7) & ~7;
    return { type: word, size, start, next: Math.min(start + padded, end) };
  }

  /** Decodes a miMATRIX element; null for an empty placeholder element. */
  private matrix(element: Tag): MatVariable | null {
    const end = element.start + element.size;
    if (element.size === 0) return null;
    const flagsTag = this.expect(element.start, end, MI_UINT32, "array flags");
    if (flagsTag.size < 8) throw this.error(flagsTag.start, `array flags of ${flagsTag.size} bytes, expected 8`);
    const flags = this.view.getUint32(flagsTag.start, this.littleEndian);
    const className = CLASS_NAMES[flags & 0xff] ?? "unknown";
    const complex = (flags & 0x800) !== 0;
    const logical = (flags & 0x200) !== 0;

    const dimsTag = this.tag(flagsTag.next, end);
    if (dimsTag.type !== MI_INT32 && dimsTag.type !== MI_UINT32) {
      throw this.error(flagsTag.next, `dimensions element of type ${dimsTag.type}, expected miINT32 (5)`);
    }
    const dims: number[] = [];
    for (let p = dimsTag.start; p + 4 <= dimsTag.start + dimsTag.size; p += 4) dims.push(this.view.getInt32(p, this.littleEndian));
    if (dims.length < 2 || dims.some((d) => d < 0)) throw this.error(dimsTag.start, `bad dimensions [${dims.join(", ")}]`);

    const nameTag = this.tag(dimsTag.next, end);
    if (nameTag.type !== MI_INT8 && nameTag.type !== MI_UINT8 && nameTag.type !== MI_UTF8) {
      throw this.error(dimsTag.next, `array name of type ${nameTag.type}, expected miINT8 (1)`);
    }
    const name = utf8.decode(this.bytes.subarray(nameTag.start, nameTag.start + nameTag.size)).replace(/\0+$/, "");

    const count = dims.reduce((a, b) => a * b, 1);
    if (className === "char") {
      return { kind: "char", name, className, dims, rows: this.chars(nameTag.next, end, dims, count, name) };
    }
    if (!NUMERIC_CLASSES.has(className)) return { kind: "unsupported", name, className, dims };
    if (count === 0 && nameTag.next >= end) return { kind: "numeric", name, className, dims, real: new Float64Array(0), complex, logical };
    const realTag = this.tag(nameTag.next, end);
    const real = this.numeric(nameTag.next, realTag, count, name);
    return { kind: "numeric", name, className, dims, real, complex, logical };
  }

  private expect(pos: number, end: number, type: number, what: string): Tag {
    const tag = this.tag(pos, end);
    if (tag.type !== type) throw this.error(pos, `${what} element of type ${tag.type}, expected ${type}`);
    return tag;
  }

  private numeric(pos: number, tag: Tag, count: number, name: string): MatNumericData {
    const width = numericWidth(tag.type);
    if (width === 0) throw this.error(pos, `variable "${name}": unsupported numeric storage type ${tag.type}`);
    if (tag.size !== count * width) {
      throw this.error(pos, `variable "${name}": ${tag.size} bytes of data for ${count} elements of ${width} bytes`);
    }
    const offset = this.bytes.byteOffset + tag.start;
    const native = this.littleEndian === HOST_LITTLE_ENDIAN;
    switch (tag.type) {
      case MI_UINT8: return new Uint8Array(this.bytes.buffer, offset, count);
      case MI_INT8: return new Int8Array(this.bytes.buffer, offset, count);
      case MI_INT64:
      case MI_UINT64: return this.int64(tag, count);
      default: {
        if (native && offset % width === 0) return numericView(tag.type, this.bytes.buffer, offset, count);
        const out = numericView(tag.type, new ArrayBuffer(count * width), 0, count);
        const get = this.getter(tag.type);
        for (let i = 0, p = tag.start; i < count; i++, p += width) out[i] = get(p);
        return out;
      }
    }
  }

  private int64(tag: Tag, count: number): Float64Array {
    const out = new Float64Array(count);
    const signed = tag.type === MI_INT64;
    for (let i = 0, p = tag.start; i < count; i++, p += 8) {
      out[i] = Number(signed ? this.view.getBigInt64(p, this.littleEndian) : this.view.getBigUint64(p, this.littleEndian));
    }
    return out;
  }

  private getter(type: number): (p: number) => number {
    const v = this.view, le = this.littleEndian;
    switch (type) {
      case MI_INT16: return (p) => v.getInt16(p, le);
      case MI_UINT16: return (p) => v.getUint16(p, le);
      case MI_INT32: return (p) => v.getInt32(p, le);
      case MI_UINT32: return (p) => v.getUint32(p, le);
      case MI_SINGLE: return (p) => v.getFloat32(p, le);
      default: return (p) => v.getFloat64(p, le);
    }
  }

  private chars(pos: number, end: number, dims: readonly number[], count: number, name: string): string[] {
    const tag = this.tag(pos, end);
    const data = this.bytes.subarray(tag.start, tag.start + tag.size);
    let units: number[];
    switch (tag.type) {
      case MI_UTF8:
      case MI_UINT8:
      case MI_INT8:
        units = codeUnits(utf8.decode(data));
        break;
      case MI_UINT16:
      case MI_UTF16:
        units = [];
        for (let p = tag.start; p + 2 <= tag.start + tag.size; p += 2) units.push(this.view.getUint16(p, this.littleEndian));
        break;
      case MI_UTF32:
      case MI_UINT32:
      case MI_INT32: {
        let text = "";
        for (let p = tag.start; p + 4 <= tag.start + tag.size; p += 4) text += String.fromCodePoint(this.view.getUint32(p, this.littleEndian));
        units = codeUnits(text);
        break;
      }
      default:
        throw this.error(pos, `char variable "${name}" stored as unsupported type ${tag.type}`);
    }
    const rowsCount = dims[0];
    if (units.length !== count) {
      if (rowsCount <= 1) return [fromUnits(units, 0, 1, units.length)];
      throw this.error(pos, `char variable "${name}" has ${units.length} characters for dimensions ${dims.join("×")}`);
    }
    const cols = rowsCount === 0 ? 0 : count / rowsCount;
    const rows: string[] = [];
    for (let r = 0; r < rowsCount; r++) rows.push(fromUnits(units, r, rowsCount, cols));
    return rows;
  }

  private error(pos: number, detail: string): DataError {
    const where = this.inflatedFrom === null ? `byte ${pos}` : `byte ${pos} of the compressed element at byte ${this.inflatedFrom}`;
    return new DataError(this.file, `${detail} (at ${where}; MAT v5)`);
  }
}

function zlibMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A typed array of storage `type` over `buffer` (multi-byte types other than int64). */
function numericView(type: number, buffer: ArrayBufferLike, offset: number, count: number): MatNumericData {
  switch (type) {
    case MI_INT16: return new Int16Array(buffer, offset, count);
    case MI_UINT16: return new Uint16Array(buffer, offset, count);
    case MI_INT32: return new Int32Array(buffer, offset, count);
    case MI_UINT32: return new Uint32Array(buffer, offset, count);
    case MI_SINGLE: return new Float32Array(buffer, offset, count);
    default: return new Float64Array(buffer, offset, count);
  }
}

function numericWidth(type: number): number {
  switch (type) {
    case MI_INT8: case MI_UINT8: return 1;
    case MI_INT16: case MI_UINT16: return 2;
    case MI_INT32: case MI_UINT32: case MI_SINGLE: return 4;
    case MI_DOUBLE: case MI_INT64: case MI_UINT64: return 8;
    default: return 0;
  }
}

function codeUnits(text: string): number[] {
  const out = new Array<number>(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** The string of `count` UTF-16 code units taken from `units` at start, start + step, … */
function fromUnits(units: readonly number[], start: number, step: number, count: number): string {
  let text = "";
  for (let i = 0; i < count; i++) text += String.fromCharCode(units[start + i * step]);
  return text;
}

function latin1(bytes: Uint8Array): string {
  let end = bytes.indexOf(0);
  if (end < 0) end = bytes.length;
  let text = "";
  for (let i = 0; i < end; i++) text += String.fromCharCode(bytes[i]);
  return text;
}
