/**
 * Issue check: a 3072 → 50 → 10 network (FC, ReLU, FC, softmax cross-entropy + λ·ΣW², λ = 0.01),
 * batch of 100 random "images", He init (biases zero), every element of every parameter checked by centered
 * differences (h = 1e-5, ε = 1e-5). Written with the autograd ops alone.
 *
 *   npx tsx examples/gradcheck-network.ts            # every element (about 2 × 156,000 forward passes)
 *   npx tsx examples/gradcheck-network.ts --random   # 50 random directions per parameter, seconds
 */
import { Rng, Tensor, add, gradcheck, matmul, mul, relu, softmaxCrossEntropy, square, sum, useBestBackend } from "@gradspec/autograd";

const random = process.argv.includes("--random");
const selection = useBestBackend();
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

const cost = (p: typeof params): Tensor => {
  const scores = add(matmul(relu(add(matmul(x, p.W1), p.b1)), p.W2), p.b2);
  return add(softmaxCrossEntropy(scores, labels), mul(add(sum(square(p.W1)), sum(square(p.W2))), lambda));
};

console.log(`kernels: ${selection.name}; checking ${random ? "50 random directions per parameter" : "every element"}…`);
const started = performance.now();
const report = gradcheck(cost, params, random ? { mode: "random", directions: 50 } : {});
const seconds = (performance.now() - started) / 1000;
console.log("| parameter | elements | max | mean | variance | worst index |");
console.log("|---|---:|---:|---:|---:|---|");
for (const p of report.parameters) {
  console.log(`| ${p.name} | ${p.count} | ${p.max.toExponential(3)} | ${p.mean.toExponential(3)} | ${p.variance.toExponential(3)} | [${p.worstIndex.join(", ")}] |`);
}
const ok = report.parameters.every((p) => p.max <= 1e-5 && (random || p.mean <= 1e-8));
console.log(`${ok ? "PASS" : "FAIL"}: max ≤ 1e-5${random ? "" : " and mean ≤ 1e-8"} for every parameter (${seconds.toFixed(1)} s)`);
process.exitCode = ok ? 0 : 1;
