/**
 * The network of gradcheck-network.ts as a gradient-check problem: the example builds it, and so does
 * each worker thread that shares the check.
 */
import { Rng, Tensor, add, matmul, mul, relu, softmaxCrossEntropy, sumSquares, type GradcheckProblem } from "@gradspec/autograd";

export function gradcheckProblem(): GradcheckProblem {
  const rng = new Rng(2024);
  const [n, d, hidden, classes, lambda] = [100, 3072, 50, 10, 0.01];
  const x = Tensor.randn([n, d], rng);
  const labels = Array.from({ length: n }, () => rng.int(classes));
  const params = {
    W1: Tensor.randn([d, hidden], rng, Math.sqrt(2 / d)),
    b1: Tensor.zeros([hidden]),
    W2: Tensor.randn([hidden, classes], rng, Math.sqrt(2 / hidden)),
    b2: Tensor.zeros([classes]),
  };
  const f = (p: typeof params): Tensor => {
    const scores = add(matmul(relu(add(matmul(x, p.W1), p.b1)), p.W2), p.b2);
    return add(softmaxCrossEntropy(scores, labels), mul(add(sumSquares(p.W1), sumSquares(p.W2)), lambda));
  };
  return { f, params };
}
