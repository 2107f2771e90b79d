/** Per-column mean and biased variance of an n×d matrix, and the variance's backward. Allocate nothing. */

export function columnMeans(x: Float64Array, rows: number, cols: number, mean: Float64Array): void {
  mean.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < cols; j++) mean[j] += x[base + j];
  }
  for (let j = 0; j < cols; j++) mean[j] /= rows;
}

/** Biased variance (1/n) Σ (x − mean)², two-pass for accuracy. */
export function columnVariances(x: Float64Array, rows: number, cols: number, mean: Float64Array, variance: Float64Array): void {
  variance.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < cols; j++) {
      const d = x[base + j] - mean[j];
      variance[j] += d * d;
    }
  }
  for (let j = 0; j < cols; j++) variance[j] /= rows;
}

/** g[r, j] = dVar[j]·2(x[r, j] − mean[j])/n: the mean's own dependence on x sums to zero here. */
export function varianceBackward(
  x: Float64Array,
  rows: number,
  cols: number,
  mean: Float64Array,
  dVariance: Float64Array,
  g: Float64Array,
): void {
  const scale = 2 / rows;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < cols; j++) g[base + j] = dVariance[j] * scale * (x[base + j] - mean[j]);
  }
}

/** g[r, j] = dMean[j]/n. */
export function meanBackward(rows: number, cols: number, dMean: Float64Array, g: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < cols; j++) g[base + j] = dMean[j] / rows;
  }
}

/** columnMeans, then columnVariances about them: the forward of `moments`. */
export function columnMoments(x: Float64Array, rows: number, cols: number, mean: Float64Array, variance: Float64Array): void {
  columnMeans(x, rows, cols, mean);
  columnVariances(x, rows, cols, mean, variance);
}
