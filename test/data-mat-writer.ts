import { deflateSync } from "node:zlib";

/** A tiny MAT v5 writer for tests: numeric and char variables, either byte order, optional zlib. */

export type MatStorage = "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "single" | "double";
export type MatNumericClass = MatStorage | "int64" | "uint64";

export interface NumericVar {
  readonly kind: "numeric";
  readonly name: string;
  /** The MATLAB class written in the array flags. */
  readonly className: MatNumericClass;
  /** How the values are stored (MATLAB may store a double array as uint8); default: the class. */
  readonly storage?: MatStorage;
  readonly rows: number;
  readonly cols: number;
  /** rows × cols values in row-major order; written column-major, as MATLAB does. */
  readonly rowMajor: ArrayLike<number>;
}

export interface CharVar {
  readonly kind: "char";
  readonly name: string;
  /** Rows of equal length. */
  readonly rows: readonly string[];
  readonly encoding?: "utf8" | "uint16";
}

export type MatVar = NumericVar | CharVar;

export interface WriteOptions {
  readonly compress?: boolean;
  readonly bigEndian?: boolean;
  /** Pack elements of at most 4 bytes into their tag (default true, as MATLAB does). */
  readonly smallElements?: boolean;
  /** Header text; default a MATLAB-like line. */
  readonly header?: string;
}

const TYPE_CODES: Record<MatStorage | "utf8", number> = {
  int8: 1, uint8: 2, int16: 3, uint16: 4, int32: 5, uint32: 6, single: 7, double: 9, utf8: 16,
};
const CLASS_CODES: Record<MatNumericClass | "char", number> = {
  char: 4, double: 6, single: 7, int8: 8, uint8: 9, int16: 10, uint16: 11, int32: 12, uint32: 13, int64: 14, uint64: 15,
};
const WIDTHS: Record<MatStorage, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, single: 4, double: 8 };

export function writeMat(vars: readonly MatVar[], options: WriteOptions = {}): Uint8Array {
  const le = !options.bigEndian;
  const small = options.smallElements ?? true;
  const parts: Uint8Array[] = [header(options.header ?? "MATLAB 5.0 MAT-file, Platform: GLNXA64, Created by: gradspec tests", le)];
  for (const v of vars) {
    const matrix = element(14, matrixBody(v, le, small), le, false);
    parts.push(options.compress ? element(15, deflateSync(matrix), le, false, false) : matrix);
  }
  return join(parts);
}

function header(text: string, le: boolean): Uint8Array {
  const out = new Uint8Array(128).fill(0x20);
  for (let i = 0; i < Math.min(text.length, 116); i++) out[i] = text.charCodeAt(i);
  out.fill(0, 116, 124);
  new DataView(out.buffer).setUint16(124, 0x0100, le);
  out[126] = le ? 0x49 : 0x4d; // "IM" little-endian, "MI" big-endian
  out[127] = le ? 0x4d : 0x49;
  return out;
}

function matrixBody(v: MatVar, le: boolean, small: boolean): Uint8Array {
  const [rows, cols] = v.kind === "numeric" ? [v.rows, v.cols] : [v.rows.length, v.rows.length === 0 ? 0 : v.rows[0].length];
  const flags = new Uint8Array(8);
  new DataView(flags.buffer).setUint32(0, CLASS_CODES[v.kind === "numeric" ? v.className : "char"], le);
  const dims = new Uint8Array(8);
  new DataView(dims.buffer).setInt32(0, rows, le);
  new DataView(dims.buffer).setInt32(4, cols, le);
  const name = Uint8Array.from(v.name, (c) => c.charCodeAt(0));
  const parts = [element(6, flags, le, small), element(5, dims, le, small), element(1, name, le, small)];
  if (v.kind === "numeric") {
    const storage = v.storage ?? (v.className === "int64" || v.className === "uint64" ? "double" : v.className);
    parts.push(element(TYPE_CODES[storage], encode(columnMajor(v.rowMajor, rows, cols), storage, le), le, small));
  } else {
    const units: number[] = [];
    for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) units.push(v.rows[r].charCodeAt(c));
    if (v.encoding === "uint16") parts.push(element(4, encode(units, "uint16", le), le, small));
    else parts.push(element(16, new TextEncoder().encode(String.fromCharCode(...units)), le, small));
  }
  return join(parts);
}

function columnMajor(values: ArrayLike<number>, rows: number, cols: number): number[] {
  const out = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = values[i * cols + j];
  return out;
}

function encode(values: readonly number[], storage: MatStorage, le: boolean): Uint8Array {
  const width = WIDTHS[storage];
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    const p = i * width;
    switch (storage) {
      case "int8": view.setInt8(p, v); break;
      case "uint8": view.setUint8(p, v); break;
      case "int16": view.setInt16(p, v, le); break;
      case "uint16": view.setUint16(p, v, le); break;
      case "int32": view.setInt32(p, v, le); break;
      case "uint32": view.setUint32(p, v, le); break;
      case "single": view.setFloat32(p, v, le); break;
      case "double": view.setFloat64(p, v, le); break;
    }
  });
  return out;
}

/** A data element: tag + payload + padding to 8 bytes (no padding for miCOMPRESSED), or the small format. */
function element(type: number, payload: Uint8Array, le: boolean, small: boolean, pad = true): Uint8Array {
  if (small && payload.length > 0 && payload.length <= 4) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setUint32(0, (payload.length << 16) | type, le);
    out.set(payload, 4);
    return out;
  }
  const padded = pad ? (payload.length + 7) & ~7 : payload.length;
  const out = new Uint8Array(8 + padded);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, le);
  view.setUint32(4, payload.length, le);
  out.set(payload, 8);
  return out;
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A CIFAR-like batch: `data` n×3072 and `labels` n×1, both uint8 unless overridden. */
export function cifarMatVars(
  pixels: ArrayLike<number>, labels: ArrayLike<number>, overrides: { dataClass?: MatNumericClass; dataStorage?: MatStorage; labelClass?: MatNumericClass } = {},
): MatVar[] {
  const n = labels.length;
  return [
    { kind: "numeric", name: "data", className: overrides.dataClass ?? "uint8", storage: overrides.dataStorage, rows: n, cols: pixels.length / n, rowMajor: pixels },
    { kind: "numeric", name: "labels", className: overrides.labelClass ?? "uint8", rows: n, cols: 1, rowMajor: labels },
    { kind: "char", name: "batch_label", rows: ["training batch 1 of 5"] },
  ];
}
