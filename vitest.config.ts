import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (pkg: string, entry = "index.ts"): string => fileURLToPath(new URL(`./packages/${pkg}/src/${entry}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Exact names: "@gradspec/nn" must not also catch "@gradspec/nn/testing".
    alias: [
      { find: /^@gradspec\/autograd$/, replacement: src("autograd") },
      { find: /^@gradspec\/nn$/, replacement: src("nn") },
      { find: /^@gradspec\/nn\/testing$/, replacement: src("nn", "testing/index.ts") },
      { find: /^@gradspec\/runner$/, replacement: src("runner") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
