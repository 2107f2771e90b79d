import { Tensor, formatShape, shapeSize, type Shape } from "../tensor.js";
import { recordOp } from "../tape.js";
import { backend } from "../kernels/backend.js";
import { requireRank } from "./shape.js";
import { transpose2d } from "../kernels/layout.js";
import { activeReuse } from "../gradcheck/reuse.js";

export interface MatmulOptions {
  /** Use Aᵀ: A is stored k×m. */
  transA?: boolean;
  /** Use Bᵀ: B is stored n×k. */
  transB?: boolean;
}

/** op(A)·op(B) for 2-D tensors; transposed operands are read in place by the kernel, never copied. */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  requireRank("matmul", a, 2, "A");
  requireRank("matmul", b, 2, "B");
  const [m, k] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [kb, n] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (k !== kb) {
    throw new RangeError(
      `matmul: inner dimensions differ: op(A) is ${m}×${k} (A ${formatShape(a.shape)}${transA ? "ᵀ" : ""}), op(B) is ${kb}×${n} (B ${formatShape(b.shape)}${transB ? "ᵀ" : ""})`,
    );
  }
  const out = Tensor.empty([m, n]);
  const reuse = activeReuse();
  if (reuse === null) backend().gemm(transA, transB, m, n, k, a.data, b.data, out.data, false);
  else reuse.product(a, b, transA, transB, m, n, k, out.data);
  return recordOp("matmul", [a, b], out, (dc, need) => {
    const kernels = backend();
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (need[0]) {
      da = Tensor.empty(a.shape);
      if (!transA && !transB) kernels.gemm(false, true, m, k, n, dc.data, b.data, da.data, false);
      else if (transA && !transB) kernels.gemm(false, true, k, m, n, b.data, dc.data, da.data, false);
      else if (!transA && transB) kernels.gemm(false, false, m, k, n, dc.data, b.data, da.data, false);
      else kernels.gemm(true, true, k, m, n, b.data, dc.data, da.data, false);
    }
    if (need[1]) {
      db = Tensor.empty(b.shape);
      if (!transA && !transB) kernels.gemm(true, false, k, n, m, a.data, dc.data, db.data, false);
      else if (transA && !transB) kernels.gemm(false, false, k, n, m, a.data, dc.data, db.data, false);
      else if (!transA && transB) kernels.gemm(true, false, n, k, m, dc.data, a.data, db.data, false);
      else kernels.gemm(true, true, n, k, m, dc.data, a.data, db.data, false);
    }
    return [da, db];
  });
}

/** Transpose of a 2-D tensor (a copy). */
export function transpose(x: Tensor): Tensor {
  requireRank("transpose", x, 2);
  const [rows, cols] = x.shape;
  const out = Tensor.empty([cols, rows]);
  transpose2d(x.data, rows, cols, out.data);
  return recordOp("transpose", [x], out, (dy) => {
    const g = Tensor.empty(x.shape);
    transpose2d(dy.data, cols, rows, g.data);
    return [g];
  });
}

/** Same data, new shape; one dimension may be -1 (inferred). Shares the buffer. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const resolved = resolveShape(x, shape);
  const out = new Tensor(x.data, resolved);
  return recordOp("reshape", [x], out, (dy) => [new Tensor(dy.data, x.shape)]);
}

function resolveShape(x: Tensor, shape: Shape): number[] {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new RangeError(`reshape: at most one dimension may be -1, got ${formatShape(shape)}`);
  const known = shapeSize(shape.filter((d) => d !== -1));
  const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  if (!resolved.every(Number.isInteger) || shapeSize(resolved) !== x.size) {
    throw new RangeError(`reshape: cannot reshape ${formatShape(x.shape)} (size ${x.size}) to ${formatShape(shape)}`);
  }
  return resolved;
}
