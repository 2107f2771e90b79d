import type { Options } from "tsup";

/** What every package's build shares: ESM for Node 20 with type declarations. */
export function packageBuild(entry: string[]): Options {
  return { entry, format: ["esm"], dts: true, clean: true, sourcemap: true, target: "node20", tsconfig: "tsconfig.json" };
}
