/**
 * out[r·dim + j] = (src[rows[r]·dim + j] − mean[j]) / std[j]: rows of a byte matrix standardized into
 * float64, in the order `rows` lists them. The reference for every backend's `standardizeBytes`.
 */
export function standardizeBytesPlain(
  src: Uint8Array,
  rows: Int32Array,
  dim: number,
  mean: Float64Array,
  std: Float64Array,
  out: Float64Array,
): void {
  for (let r = 0; r < rows.length; r++) {
    const from = rows[r] * dim;
    const to = r * dim;
    for (let j = 0; j < dim; j++) out[to + j] = (src[from + j] - mean[j]) / std[j];
  }
}
