/**
 * The charting library inlined into every page, so a report opens from disk with no network: the
 * standalone builds of vega, vega-lite and vega-embed that npm installed (their versions are pinned in
 * packages/runner/package.json; docs/html-report.md says why these).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const BUILDS = [
  ["vega", "build/vega.min.js"],
  ["vega-lite", "build/vega-lite.min.js"],
  ["vega-embed", "build/vega-embed.min.js"],
] as const;

let cached: string | undefined;

/** The package's folder: upwards from its entry point to the package.json that names it (its exports hide the builds). */
function packageDir(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === name) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of the npm package ${name}; run npm ci`);
    dir = up;
  }
}

/** The three builds as one script text (without source-map comments, which would point at files), read once per process. */
export function chartLibraryScript(): string {
  cached ??= BUILDS.map(([name, file]) => readFileSync(join(packageDir(name), file), "utf8").replace(/^\/\/# sourceMappingURL=.*$/gm, "").replace(/<\/script/gi, "<\\/script")).join("\n;\n");
  return cached;
}
