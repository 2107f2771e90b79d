/** Row-wise backward passes of softmax and log-softmax, and the cross-entropy sum. Allocate nothing. */

/** g = y ⊙ (dy − Σ_j dy_j y_j) per row, where y = softmax(x). */
export function softmaxBackwardRows(y: Float64Array, dy: Float64Array, rows: number, cols: number, g: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += dy[base + j] * y[base + j];
    for (let j = 0; j < cols; j++) g[base + j] = y[base + j] * (dy[base + j] - dot);
  }
}

/** g = dy − softmax ⊙ Σ_j dy_j per row, given logY = logSoftmax(x). */
export function logSoftmaxBackwardRows(logY: Float64Array, dy: Float64Array, rows: number, cols: number, g: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let total = 0;
    for (let j = 0; j < cols; j++) total += dy[base + j];
    for (let j = 0; j < cols; j++) g[base + j] = dy[base + j] - Math.exp(logY[base + j]) * total;
  }
}

/** −(1/rows) Σ_r logProbs[r, labels[r]]. */
export function crossEntropyRows(
  logProbs: Float64Array,
  labels: Int32Array | readonly number[],
  rows: number,
  cols: number,
): number {
  let total = 0;
  for (let r = 0; r < rows; r++) total -= logProbs[r * cols + labels[r]];
  return total / rows;
}

/** g = (softmax − onehot(labels))·scale per row, given logProbs = logSoftmax(logits). */
export function crossEntropyBackwardRows(
  logProbs: Float64Array,
  labels: Int32Array | readonly number[],
  rows: number,
  cols: number,
  scale: number,
  g: Float64Array,
): void {
  for (let i = 0; i < rows * cols; i++) g[i] = Math.exp(logProbs[i]) * scale;
  for (let r = 0; r < rows; r++) g[r * cols + labels[r]] -= scale;
}
