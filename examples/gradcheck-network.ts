/**
 * Issue check: a 3072 → 50 → 10 network (FC, ReLU, FC, softmax cross-entropy + λ·ΣW², λ = 0.01),
 * batch of 100 random "images", He init (biases zero), every element of every parameter checked by centered
 * differences (h = 1e-5, ε = 1e-5). Written with the autograd ops alone (gradcheck-network-problem.ts).
 *
 *   npx tsx examples/gradcheck-network.ts              # every element, on every core (under a minute)
 *   npx tsx examples/gradcheck-network.ts --workers 1  # every element, in this thread
 *   npx tsx examples/gradcheck-network.ts --slow       # every element, each evaluation in full (≈ 22 min)
 *   npx tsx examples/gradcheck-network.ts --random     # 50 random directions per parameter, seconds
 */
import { gradcheckInWorkers, useBestBackend } from "@gradspec/autograd";

const args = process.argv.slice(2);
const random = args.includes("--random");
const slow = args.includes("--slow");
const workersAt = args.indexOf("--workers");
const workers = workersAt >= 0 ? Number(args[workersAt + 1]) : undefined;
if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) {
  console.error(`--workers needs a whole number ≥ 1, got ${args[workersAt + 1]}`);
  process.exit(2);
}
const selection = useBestBackend();
const problem = { module: new URL("./gradcheck-network-problem.ts", import.meta.url) };
const method = random ? "50 random directions per parameter" : slow ? "every element, every evaluation in full" : "every element";
console.log(`kernels: ${selection.name}; checking ${method}…`);
const started = performance.now();
const report = await gradcheckInWorkers(problem, random ? { mode: "random", directions: 50 } : { reuse: !slow, ...(workers === undefined ? {} : { workers }) }).catch(
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
const seconds = (performance.now() - started) / 1000;
console.log("| parameter | elements | max | mean | variance | worst index |");
console.log("|---|---:|---:|---:|---:|---|");
for (const p of report.parameters) {
  console.log(`| ${p.name} | ${p.count} | ${p.max.toExponential(3)} | ${p.mean.toExponential(3)} | ${p.variance.toExponential(3)} | [${p.worstIndex.join(", ")}] |`);
}
const ok = report.parameters.every((p) => p.max <= 1e-5 && (random || p.mean <= 1e-8));
console.log(`${ok ? "PASS" : "FAIL"}: max ≤ 1e-5${random ? "" : " and mean ≤ 1e-8"} for every parameter (${seconds.toFixed(1)} s)`);
process.exitCode = ok ? 0 : 1;
