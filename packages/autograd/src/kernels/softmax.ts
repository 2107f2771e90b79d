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

/**
 * −(1/rows) Σ_r logProbs[r, labels[r]], summed with Neumaier's compensation. A plain running sum of
 * 100 terms near 2.3 rounds at the partial sums' magnitude (up to ~230) and those roundings move with
 * any perturbation of the logits; a centered difference divides that noise by 2h and it dominated
 * the gradient check of small gradients (1e-10 absolute, against 1e-11 with compensation).
 */
export function crossEntropyRows(
  logProbs: Float64Array,
  labels: Int32Array | readonly number[],
  rows: number,
  cols: number,
): number {
  let total = 0;
  let compensation = 0;
  for (let r = 0; r < rows; r++) {
    const term = -logProbs[r * cols + labels[r]];
    const next = total + term;
    compensation += Math.abs(total) >= Math.abs(term) ? total - next + term : term - next + total;
    total = next;
  }
  return (total + compensation) / rows;
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
