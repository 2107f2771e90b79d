/** Reductions over one axis of a tensor viewed as [outer, len, inner]. Allocate nothing. */

export function sumAxis(x: Float64Array, outer: number, len: number, inner: number, out: Float64Array): void {
  out.fill(0, 0, outer * inner);
  for (let o = 0; o < outer; o++) {
    const base = o * len * inner;
    const outBase = o * inner;
    for (let l = 0; l < len; l++) {
      const row = base + l * inner;
      for (let i = 0; i < inner; i++) out[outBase + i] += x[row + i];
    }
  }
}

/** out = max along the axis; argmax holds the index along the axis of the first maximum. */
export function maxAxis(
  x: Float64Array,
  outer: number,
  len: number,
  inner: number,
  out: Float64Array,
  argmax: Int32Array,
): void {
  for (let o = 0; o < outer; o++) {
    const base = o * len * inner;
    for (let i = 0; i < inner; i++) {
      let best = x[base + i];
      let bestIndex = 0;
      for (let l = 1; l < len; l++) {
        const v = x[base + l * inner + i];
        if (v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
          best = v;
          bestIndex = l;
        }
      }
      out[o * inner + i] = best;
      argmax[o * inner + i] = bestIndex;
    }
  }
}

/** Leaf size of the pairwise sums (shared with `PairwiseSquares`, which must split as they do). */
export const PAIRWISE_BLOCK = 128;

/**
 * Σ x by pairwise summation (as numpy does): rounding error grows like log n rather than n, and a
 * change to one element moves the result by far less rounding noise — which is what a centered
 * difference of a sum over 150,000 squared weights sees.
 */
export function sumAll(x: Float64Array): number {
  return pairwiseSum(x, 0, x.length, false);
}

/**
 * Σ x² with the same pairwise blocking as `sumAll`, so it equals `sumAll` of the squared array bit
 * for bit without materializing it (the L2 penalty of a 3072×50 weight matrix every step).
 */
export function sumSquaresAll(x: Float64Array): number {
  return pairwiseSum(x, 0, x.length, true);
}

function pairwiseSum(x: Float64Array, start: number, end: number, squares: boolean): number {
  const n = end - start;
  if (n <= PAIRWISE_BLOCK) {
    let sum = 0;
    if (squares) for (let i = start; i < end; i++) sum += x[i] * x[i];
    else for (let i = start; i < end; i++) sum += x[i];
    return sum;
  }
  const middle = start + PAIRWISE_BLOCK * Math.ceil(n / 2 / PAIRWISE_BLOCK);
  return pairwiseSum(x, start, middle, squares) + pairwiseSum(x, middle, end, squares);
}

/** Row-wise stable log-softmax of a rows×cols matrix. */
export function logSoftmaxRows(x: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) if (x[base + j] > max) max = x[base + j];
    if (max === -Infinity || Number.isNaN(max)) max = 0;
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(x[base + j] - max);
    const logSum = max + Math.log(sum);
    for (let j = 0; j < cols; j++) out[base + j] = x[base + j] - logSum;
  }
}
