/**
 * A small network for the gradient-check tests, as a problem module that worker threads can build:
 * FC (X·W1), ReLU, FC with a transposed weight (h·W2ᵀ), an FC whose weight is the left operand
 * (W3ᵀ·hᵀ, the transposed logits), softmax cross-entropy and λ·Σ‖W‖² — every way a parameter
 * can enter a product.
 */
import { Rng, Tensor, add, matmul, mul, relu, softmaxCrossEntropy, sumSquares, transpose, type GradcheckProblem } from "@gradspec/autograd";

export function gradcheckProblem(args?: { seed?: number; lambda?: number }): GradcheckProblem {
  const rng = new Rng(args?.seed ?? 5);
  const lambda = args?.lambda ?? 0.01;
  const [n, d, h1, h2, classes] = [12, 40, 9, 7, 4];
  const x = Tensor.randn([n, d], rng);
  const labels = Array.from({ length: n }, () => rng.int(classes));
  const params = {
    W1: Tensor.randn([d, h1], rng, Math.sqrt(2 / d)),
    b1: Tensor.randn([h1], rng, 0.1),
    W2: Tensor.randn([h2, h1], rng, Math.sqrt(2 / h1)),
    W3: Tensor.randn([h2, classes], rng, Math.sqrt(2 / h2)),
  };
  const f = (p: typeof params): Tensor => {
    const hidden = relu(matmul(relu(add(matmul(x, p.W1), p.b1)), p.W2, { transB: true }));
    const logitsT = matmul(p.W3, hidden, { transA: true, transB: true });
    const penalty = mul(add(add(sumSquares(p.W1), sumSquares(p.W2)), sumSquares(p.W3)), lambda);
    return add(softmaxCrossEntropy(transpose(logitsT), labels), penalty);
  };
  return { f, params };
}
