/** A product after one element of an operand moved by δ: C plus δ times one column or row. Allocate nothing. */

/** out[r, j] += δ·op(A)[r, p] for r < m: B's element (p, j) moved by δ. */
export function addColumn(a: Float64Array, transA: boolean, m: number, n: number, k: number, p: number, j: number, delta: number, out: Float64Array): void {
  if (transA) for (let r = 0; r < m; r++) out[r * n + j] += delta * a[p * m + r];
  else for (let r = 0; r < m; r++) out[r * n + j] += delta * a[r * k + p];
}

/** out[r, j] += δ·op(B)[p, j] for j < n: A's element (r, p) moved by δ. */
export function addRow(b: Float64Array, transB: boolean, n: number, k: number, r: number, p: number, delta: number, out: Float64Array): void {
  if (transB) for (let j = 0; j < n; j++) out[r * n + j] += delta * b[j * k + p];
  else for (let j = 0; j < n; j++) out[r * n + j] += delta * b[p * n + j];
}
