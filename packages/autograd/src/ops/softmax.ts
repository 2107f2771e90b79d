import { Tensor, formatShape } from "../tensor.js";
import { recordOp } from "../tape.js";
import { logSoftmaxRows } from "../kernels/reduce.js";
import { crossEntropyBackwardRows, crossEntropyRows, logSoftmaxBackwardRows, softmaxBackwardRows } from "../kernels/softmax.js";
import { UNARY, unaryMap } from "../kernels/elementwise.js";
import { requireRank } from "./shape.js";

function rowsAndCols(op: string, x: Tensor): [number, number] {
  if (x.rank === 0) throw new RangeError(`${op}: needs at least one axis, got a scalar`);
  const cols = x.shape[x.rank - 1];
  return [cols === 0 ? 0 : x.size / cols, cols];
}

/** Numerically stable log-softmax over the last axis. */
export function logSoftmax(x: Tensor): Tensor {
  const [rows, cols] = rowsAndCols("logSoftmax", x);
  const out = Tensor.empty(x.shape);
  logSoftmaxRows(x.data, rows, cols, out.data);
  return recordOp("logSoftmax", [x], out, (dy) => {
    const g = Tensor.empty(x.shape);
    logSoftmaxBackwardRows(out.data, dy.data, rows, cols, g.data);
    return [g];
  });
}

/** Softmax over the last axis, computed as exp(logSoftmax) so that large logits do not overflow. */
export function softmax(x: Tensor): Tensor {
  const [rows, cols] = rowsAndCols("softmax", x);
  const out = Tensor.empty(x.shape);
  logSoftmaxRows(x.data, rows, cols, out.data);
  unaryMap(UNARY.exp, out.data, out.data);
  return recordOp("softmax", [x], out, (dy) => {
    const g = Tensor.empty(x.shape);
    softmaxBackwardRows(out.data, dy.data, rows, cols, g.data);
    return [g];
  });
}

export type Labels = Int32Array | readonly number[];

/** Checks labels against a batch of `rows` rows and `classes` classes, naming the first bad index. */
export function checkLabels(op: string, labels: Labels, rows: number, classes: number): void {
  if (labels.length !== rows) throw new RangeError(`${op}: ${labels.length} labels for a batch of ${rows} rows`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new RangeError(`${op}: label ${y} at index ${i} is out of range [0, ${classes})`);
    }
  }
}

/**
 * Mean softmax cross-entropy of n×c logits against integer labels: −(1/n) Σ_i log softmax(x_i)[y_i].
 * Fused so that the gradient is (softmax − onehot)/n without forming the one-hot matrix.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Labels): Tensor {
  requireRank("softmaxCrossEntropy", logits, 2, "logits");
  const [rows, cols] = logits.shape;
  if (rows === 0) throw new RangeError(`softmaxCrossEntropy: empty batch ${formatShape(logits.shape)}`);
  checkLabels("softmaxCrossEntropy", labels, rows, cols);
  const logProbs = Tensor.empty(logits.shape);
  logSoftmaxRows(logits.data, rows, cols, logProbs.data);
  const out = Tensor.scalar(crossEntropyRows(logProbs.data, labels, rows, cols));
  return recordOp("softmaxCrossEntropy", [logits], out, (dy) => {
    const g = Tensor.empty(logits.shape);
    crossEntropyBackwardRows(logProbs.data, labels, rows, cols, dy.data[0] / rows, g.data);
    return [g];
  });
}
