import { Tensor, backend, withAllocator, type StepPool } from "@gradspec/autograd";
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
}

const POOL_BYTES = 128 * 1024 * 1024;

/**
 * Loss, cost and accuracy of the network in eval mode over a whole source. Inputs and temporaries
 * come from pools of the active backend (in the wasm memory with the wasm kernels), freed on return.
 */
export function evaluate(model: Sequential, source: BatchSource, options: EvaluateOptions = {}): Evaluation & { confusion?: number[][] } {
  const storage = backend().storage;
  const chunk = Math.max(1, Math.min(options.chunk ?? 1000, source.count));
  const inputs = storage.createPool(chunk * source.dim * 8 + 1024);
  const pool = storage.createPool(POOL_BYTES);
  try {
    return evaluateWith(model, source, options, chunk, inputs.allocate(chunk * source.dim, false), pool);
  } finally {
    pool.dispose();
    inputs.dispose();
  }
}

function evaluateWith(
  model: Sequential,
  source: BatchSource,
  options: EvaluateOptions,
  chunk: number,
  buffer: Float64Array,
  pool: StepPool,
): Evaluation & { confusion?: number[][] } {
  const lambda = options.lambda ?? 0;
  const confusion = options.confusion ? Array.from({ length: source.classes }, () => new Array<number>(source.classes).fill(0)) : undefined;
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
