import { Tensor } from "../tensor.js";
import { recordOp } from "../tape.js";
import { MEAN_BACKWARD_KERNEL, MOMENTS_KERNEL, VARIANCE_BACKWARD_KERNEL } from "../kernels/elementwise-kernels.js";
import { kernel } from "../kernels/registry.js";
import { requireRank } from "./shape.js";

export interface Moments {
  /** Per-feature batch mean, shape [d]. */
  mean: Tensor;
  /** Per-feature biased batch variance (1/n) Σ (x − μ)², shape [d]. */
  variance: Tensor;
}

/** The batch statistics that batch normalization needs, over the rows of an n×d batch. */
export function moments(x: Tensor): Moments {
  requireRank("moments", x, 2);
  const [rows, cols] = x.shape;
  if (rows === 0) throw new RangeError("moments: empty batch");
  const mean = Tensor.empty([cols]);
  const variance = Tensor.empty([cols]);
  kernel(MOMENTS_KERNEL)(x.data, rows, cols, mean.data, variance.data);
  recordOp("batchMean", [x], mean, (dy) => {
    const g = Tensor.empty(x.shape);
    kernel(MEAN_BACKWARD_KERNEL)(rows, cols, dy.data, g.data);
    return [g];
  });
  recordOp("batchVariance", [x], variance, (dy) => {
    const g = Tensor.empty(x.shape);
    kernel(VARIANCE_BACKWARD_KERNEL)(x.data, rows, cols, mean.data, dy.data, g.data);
    return [g];
  });
  return { mean, variance };
}
