import { BufferPool, Tensor, withAllocator, type StepAllocator } from "@gradspec/autograd";
import type { BatchSource } from "./data.js";
import type { Sequential } from "./layers/sequential.js";
import { l2PenaltyValue, lossAndCost } from "./loss.js";

export interface Evaluation {
  loss: number;
  cost: number;
  accuracy: number;
  count: number;
}

export interface EvaluateOptions {
  lambda?: number;
  /** Rows per forward pass. Default 1000. */
  chunk?: number;
  /** Also count a confusion matrix (rows: true class, columns: predicted). */
  confusion?: boolean;
  /** Where temporaries come from; reset per chunk. Default: a fresh BufferPool. */
  pool?: StepAllocator;
  /** The chunk's input buffer (chunk × dim), e.g. inside the wasm memory. Default: a new array. */
  buffer?: Float64Array;
}

/** Loss, cost and accuracy of the network in eval mode over a whole source. */
export function evaluate(model: Sequential, source: BatchSource, options: EvaluateOptions = {}): Evaluation & { confusion?: number[][] } {
  const lambda = options.lambda ?? 0;
  const chunk = Math.max(1, Math.min(options.chunk ?? 1000, source.count));
  const pool = options.pool ?? new BufferPool();
  const confusion = options.confusion ? Array.from({ length: source.classes }, () => new Array<number>(source.classes).fill(0)) : undefined;
  const buffer = options.buffer && options.buffer.length >= chunk * source.dim ? options.buffer : new Float64Array(chunk * source.dim);
  const labels = new Int32Array(chunk);
  const indices = new Int32Array(chunk);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < source.count; start += chunk) {
    const rows = Math.min(chunk, source.count - start);
    for (let r = 0; r < rows; r++) indices[r] = start + r;
    source.fill(indices.subarray(0, rows), buffer, labels);
    const x = new Tensor(buffer.subarray(0, rows * source.dim), [rows, source.dim]);
    const rowLabels = labels.subarray(0, rows);
    pool.reset();
    withAllocator(pool, () => {
      const { loss, logits } = lossAndCost(model, x, rowLabels, 0, { training: false });
      lossSum += loss.data[0] * rows;
      correct += countCorrect(logits, rowLabels, confusion);
    });
  }
  pool.reset();
  const count = source.count;
  const loss = count === 0 ? Number.NaN : lossSum / count;
  const penalty = l2PenaltyValue(model, lambda);
  const result: Evaluation & { confusion?: number[][] } = { loss, cost: loss + penalty, accuracy: count === 0 ? Number.NaN : correct / count, count };
  if (confusion) result.confusion = confusion;
  return result;
}

/** Number of rows whose arg-max logit is the label; fills `confusion` when given. */
export function countCorrect(logits: Tensor, labels: ArrayLike<number>, confusion?: number[][]): number {
  const [rows, cols] = logits.shape;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < cols; j++) if (logits.data[r * cols + j] > logits.data[r * cols + best]) best = j;
    if (best === labels[r]) correct++;
    if (confusion) confusion[labels[r]][best]++;
  }
  return correct;
}
