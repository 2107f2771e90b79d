import type { Tensor } from "../tensor.js";
import { backend } from "../kernels/backend.js";
import { PairwiseSquares } from "../kernels/pairwise-squares.js";
import { addColumn, addRow } from "../kernels/rank-one.js";

/**
 * What an element-wise gradient check evaluates over and over: f at the parameters with one element
 * moved. Most of f does not see the move. A `Reuse` records the matrix products and sums of squares of
 * one evaluation at the unperturbed parameters; later evaluations take from the record
 * - a product of operands that are the same tensors as recorded and do not hold the moved element:
 *   the recorded result;
 * - a product with the moved parameter as one operand and an unchanged other: the recorded result
 *   plus δ times one column (or row) of the other operand — perturbing W[i, j] changes only column j
 *   of X·W, by δ·X[:, i];
 * - Σx² of the moved parameter: the recorded pairwise tree with only the path to the element redone,
 *   bit for bit the full sum.
 * Anything else (a different op order, an operand computed anew) is computed in full.
 */
export class Reuse {
  private readonly products: ProductRecord[] = [];
  private readonly squares: SquaresRecord[] = [];
  private productCursor = 0;
  private squaresCursor = 0;
  private recording = true;
  private moved: Moved | null = null;

  /** Ends the recording evaluation; later evaluations replay against it. */
  finishRecording(): void {
    this.recording = false;
  }

  /** The next evaluation has element `offset` of `tensor` moved away from `original`. */
  beginEvaluation(tensor: Tensor | null, offset = 0, original = 0): void {
    this.productCursor = 0;
    this.squaresCursor = 0;
    this.moved = tensor === null ? null : { tensor, offset, original };
  }

  /** C = op(A)·op(B) into `out` (m×n), from the record when it can be. */
  product(a: Tensor, b: Tensor, transA: boolean, transB: boolean, m: number, n: number, k: number, out: Float64Array): void {
    if (this.recording) {
      backend().gemm(transA, transB, m, n, k, a.data, b.data, out, false);
      this.products.push({ a, b, transA, transB, out: Float64Array.from(out.subarray(0, m * n)) });
      return;
    }
    const record = this.products[this.productCursor++];
    if (record === undefined || record.a !== a || record.b !== b || record.transA !== transA || record.transB !== transB) {
      backend().gemm(transA, transB, m, n, k, a.data, b.data, out, false);
      return;
    }
    const moved = this.moved;
    const inA = moved !== null && overlaps(a, moved.tensor);
    const inB = moved !== null && overlaps(b, moved.tensor);
    if (moved === null || (!inA && !inB)) {
      out.set(record.out);
      return;
    }
    // Both operands moved, or an operand that is a view of the parameter rather than the parameter.
    if ((inA && inB) || (inA && a !== moved.tensor) || (inB && b !== moved.tensor)) {
      backend().gemm(transA, transB, m, n, k, a.data, b.data, out, false);
      return;
    }
    out.set(record.out);
    const o = moved.offset;
    const delta = moved.tensor.data[o] - moved.original;
    if (inB) {
      const [p, j] = transB ? [o % k, Math.floor(o / k)] : [Math.floor(o / n), o % n];
      addColumn(a.data, transA, m, n, k, p, j, delta, out);
    } else {
      const [r, p] = transA ? [o % m, Math.floor(o / m)] : [Math.floor(o / k), o % k];
      addRow(b.data, transB, n, k, r, p, delta, out);
    }
  }

  /** Σ x² of `x`, from the record when it can be. */
  sumSquares(x: Tensor, full: (data: Float64Array) => number): number {
    if (this.recording) {
      const tree = new PairwiseSquares(x.data);
      this.squares.push({ x, tree });
      return tree.total;
    }
    const record = this.squares[this.squaresCursor++];
    if (record === undefined || record.x !== x) return full(x.data);
    const moved = this.moved;
    if (moved === null || !overlaps(x, moved.tensor)) return record.tree.total;
    if (x !== moved.tensor) return full(x.data);
    return record.tree.totalWith(x.data, moved.offset);
  }
}

interface ProductRecord {
  readonly a: Tensor;
  readonly b: Tensor;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly out: Float64Array;
}

interface SquaresRecord {
  readonly x: Tensor;
  readonly tree: PairwiseSquares;
}

interface Moved {
  readonly tensor: Tensor;
  readonly offset: number;
  readonly original: number;
}

/** Whether the storage of `x` shares any byte with that of `y` (a reshape shares its input's). */
function overlaps(x: Tensor, y: Tensor): boolean {
  const p = x.data;
  const q = y.data;
  if (p.buffer !== q.buffer) return false;
  return p.byteOffset < q.byteOffset + q.byteLength && q.byteOffset < p.byteOffset + p.byteLength;
}

let active: Reuse | null = null;

/** The reuse record of the gradient check running now, if any (ops consult it). */
export function activeReuse(): Reuse | null {
  return active;
}

/** Runs `fn` with `reuse` consulted by the ops, then restores the previous one. */
export function withReuse<T>(reuse: Reuse | null, fn: () => T): T {
  const previous = active;
  active = reuse;
  try {
    return fn();
  } finally {
    active = previous;
  }
}
