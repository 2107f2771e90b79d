import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.js";

// The gradient-check worker entry sits next to the bundle (gradcheck/parallel.ts finds it there).
export default defineConfig({
  ...packageBuild(["src/index.ts"]),
  entry: { index: "src/index.ts", "gradcheck-worker": "src/gradcheck/worker.ts" },
  dts: { entry: { index: "src/index.ts" } },
});
