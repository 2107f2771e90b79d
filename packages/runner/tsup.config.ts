import { defineConfig } from "tsup";

export default defineConfig({
  // Sweep worker entries sit next to the bundles (dist/sweep-*.js): sweep/worker-files.ts finds them there.
  entry: {
    index: "src/index.ts",
    cli: "src/cli.ts",
    "sweep-trial-worker": "src/sweep/trial-worker.ts",
    // Gradient-check worker threads load the problem from here (experiments/gradcheck-problem.ts).
    "gradcheck-problem": "src/experiments/gradcheck-problem.ts",
  },
  format: ["esm"],
  dts: { entry: { index: "src/index.ts", cli: "src/cli.ts" } },
  clean: true,
  sourcemap: true,
  target: "node20",
  tsconfig: "tsconfig.json",
});
