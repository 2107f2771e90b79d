import { Tensor, add, mul, softmaxCrossEntropy, sumSquares, sumSquaresAll, type Labels } from "@gradspec/autograd";
import type { ForwardContext } from "./layers/layer.js";
import type { Sequential } from "./layers/sequential.js";

export interface LossAndCost {
  /** Mean softmax cross-entropy over the batch. */
  loss: Tensor;
  /** loss + λ·Σ‖W‖² over the weight matrices only (not biases, γ or β). */
  cost: Tensor;
  logits: Tensor;
}

/** λ·Σ‖W‖² over the network's decayed parameters (a scalar tensor on the tape). */
export function l2Penalty(model: Sequential, lambda: number): Tensor {
  let total: Tensor = Tensor.scalar(0);
  if (lambda === 0) return total;
  for (const name of model.decayed) total = add(total, sumSquares(model.params.get(name) as Tensor));
  return mul(total, lambda);
}

/**
 * The value of `l2Penalty(model, lambda)`, bit for bit, without tensors: the training loop adds the
 * penalty's gradient in the optimizer (see `SgdMomentum.step`'s decay) instead of on the tape.
 */
export function l2PenaltyValue(model: Sequential, lambda: number): number {
  if (lambda === 0) return 0;
  let total = 0;
  for (const name of model.decayed) total += sumSquaresAll((model.params.get(name) as Tensor).data);
  return total * lambda;
}

export function lossAndCost(model: Sequential, x: Tensor, labels: Labels, lambda: number, ctx: ForwardContext): LossAndCost {
  const logits = model.forward(x, ctx);
  const loss = softmaxCrossEntropy(logits, labels);
  const cost = lambda === 0 ? loss : add(loss, l2Penalty(model, lambda));
  return { loss, cost, logits };
}
