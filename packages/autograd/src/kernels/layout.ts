/** out (cols×rows) = xᵀ for a rows×cols matrix, in cache-sized tiles. */
export function transpose2d(x: Float64Array, rows: number, cols: number, out: Float64Array): void {
  const tile = 32;
  for (let i0 = 0; i0 < rows; i0 += tile) {
    const iEnd = Math.min(i0 + tile, rows);
    for (let j0 = 0; j0 < cols; j0 += tile) {
      const jEnd = Math.min(j0 + tile, cols);
      for (let i = i0; i < iEnd; i++) {
        for (let j = j0; j < jEnd; j++) out[j * rows + i] = x[i * cols + j];
      }
    }
  }
}
