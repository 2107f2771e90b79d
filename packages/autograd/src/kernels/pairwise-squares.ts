import { PAIRWISE_BLOCK } from "./reduce.js";

/**
 * Σ x² split exactly as `sumSquaresAll` splits it (blocks of 128, halves rounded to whole blocks),
 * with every partial sum kept, so that the sum after one element changes is redone along one path of
 * the tree — the same additions in the same order as the full sum, so bit for bit its result.
 */
export class PairwiseSquares {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly lefts: number[] = [];
  private readonly rights: number[] = [];
  private readonly sums: number[] = [];
  readonly total: number;

  constructor(x: Float64Array) {
    this.build(x, 0, x.length);
    this.total = this.sums[0];
  }

  /** Σ x² of `x`, which differs from the recorded array at most at `offset`. */
  totalWith(x: Float64Array, offset: number): number {
    return this.sumWith(0, x, offset);
  }

  private build(x: Float64Array, start: number, end: number): number {
    const node = this.starts.length;
    this.starts.push(start);
    this.ends.push(end);
    this.lefts.push(-1);
    this.rights.push(-1);
    this.sums.push(0);
    const n = end - start;
    if (n <= PAIRWISE_BLOCK) {
      this.sums[node] = leafSum(x, start, end);
      return node;
    }
    const middle = start + PAIRWISE_BLOCK * Math.ceil(n / 2 / PAIRWISE_BLOCK);
    const left = this.build(x, start, middle);
    const right = this.build(x, middle, end);
    this.lefts[node] = left;
    this.rights[node] = right;
    this.sums[node] = this.sums[left] + this.sums[right];
    return node;
  }

  private sumWith(node: number, x: Float64Array, offset: number): number {
    const left = this.lefts[node];
    if (left < 0) return leafSum(x, this.starts[node], this.ends[node]);
    const right = this.rights[node];
    return offset < this.ends[left] ? this.sumWith(left, x, offset) + this.sums[right] : this.sums[left] + this.sumWith(right, x, offset);
  }
}

function leafSum(x: Float64Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += x[i] * x[i];
  return sum;
}
