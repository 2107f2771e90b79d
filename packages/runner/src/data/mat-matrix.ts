import { DataError } from "./errors.js";
import type { MatFile, MatNumeric, MatNumericData } from "./mat-v5.js";
import { matVariable } from "./mat-v5.js";

const BLOCK = 128;
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The numeric variable `name` of `mat`, or a one-line DataError. */
export function matNumeric(mat: MatFile, name: string): MatNumeric {
  const variable = matVariable(mat, name);
  if (variable.kind !== "numeric") {
    throw new DataError(mat.file, `variable "${name}" is a ${variable.className} array, expected a numeric matrix`);
  }
  if (variable.complex) throw new DataError(mat.file, `variable "${name}" is complex, expected real values`);
  return variable;
}

/**
 * A 2-D column-major MATLAB matrix (rows × cols) as row-major bytes, checking that every value is an
 * integer in 0..255 (whatever the storage type). A uint8 matrix takes a fast blocked transpose.
 */
export function rowMajorBytes(variable: MatNumeric, file: string): Uint8Array {
  const [rows, cols] = matrixDims(variable, file);
  const src = variable.real;
  const out = new Uint8Array(rows * cols);
  if (src instanceof Uint8Array) {
    transposeBytes(src, rows, cols, out);
    return out;
  }
  const bad = transposeChecked(src, rows, cols, out);
  if (bad >= 0) {
    const value = src[bad];
    throw new DataError(
      file,
      `variable "${variable.name}" element (${(bad % rows) + 1}, ${Math.floor(bad / rows) + 1}) is ${value}, expected an integer in 0..255`,
    );
  }
  return out;
}

/** The dimensions of a 2-D variable (trailing singleton dimensions allowed). */
export function matrixDims(variable: MatNumeric, file: string): [number, number] {
  const dims = variable.dims;
  if (dims.slice(2).some((d) => d !== 1)) {
    throw new DataError(file, `variable "${variable.name}" is ${dims.join("×")}, expected a 2-D matrix`);
  }
  return [dims[0], dims[1]];
}

/** out[i*cols + j] = src[j*rows + i], in BLOCK×BLOCK tiles. */
function transposeBytes(src: Uint8Array, rows: number, cols: number, out: Uint8Array): void {
  if (cols % 4 === 0 && HOST_LITTLE_ENDIAN && out.byteOffset % 4 === 0) {
    transposeBytesPacked(src, rows, cols, new Uint32Array(out.buffer, out.byteOffset, out.length / 4));
    return;
  }
  for (let i0 = 0; i0 < rows; i0 += BLOCK) {
    const i1 = Math.min(i0 + BLOCK, rows);
    for (let j0 = 0; j0 < cols; j0 += BLOCK) {
      const j1 = Math.min(j0 + BLOCK, cols);
      for (let j = j0; j < j1; j++) {
        const base = j * rows;
        for (let i = i0; i < i1; i++) out[i * cols + j] = src[base + i];
      }
    }
  }
}

/** transposeBytes writing 4 output bytes (4 source columns) per 32-bit store; about 2× faster. */
function transposeBytesPacked(src: Uint8Array, rows: number, cols: number, out: Uint32Array): void {
  const words = cols >> 2;
  for (let i0 = 0; i0 < rows; i0 += BLOCK) {
    const i1 = Math.min(i0 + BLOCK, rows);
    for (let j0 = 0; j0 < cols; j0 += BLOCK) {
      const j1 = Math.min(j0 + BLOCK, cols);
      for (let i = i0; i < i1; i++) {
        const rowWord = i * words;
        for (let j = j0; j < j1; j += 4) {
          const k = j * rows + i;
          out[rowWord + (j >> 2)] = src[k] | (src[k + rows] << 8) | (src[k + 2 * rows] << 16) | (src[k + 3 * rows] << 24);
        }
      }
    }
  }
}

/** Like transposeBytes for any storage type; returns the column-major index of the first value that is not a byte, or -1. */
function transposeChecked(src: MatNumericData, rows: number, cols: number, out: Uint8Array): number {
  for (let j = 0; j < cols; j++) {
    const base = j * rows;
    for (let i = 0; i < rows; i++) {
      const value = src[base + i];
      const k = i * cols + j;
      out[k] = value;
      if (out[k] !== value) return base + i;
    }
  }
  return -1;
}
