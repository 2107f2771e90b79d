import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as Esbuild from "esbuild";
import type { WorkerFiles } from "./worker-files.js";

const STALE_DAYS = 1;
let cached: WorkerFiles | undefined;

/**
 * The worker entries when the runner runs from its TypeScript sources (vitest, tsx): bundled once per
 * process by esbuild (a dev dependency, through tsup and tsx) with the repository's tsconfig, whose
 * paths map @gradspec/* to their sources as vitest does, so workers run the same code as this
 * thread. Loading one bundle takes ~0.15 s; loading the sources through tsx in each worker took ~1.5 s.
 * Bundles go to node_modules/.cache (packages stay external and resolve from there), named by content.
 */
export function sourceWorkerFiles(): WorkerFiles {
  cached ??= bundle();
  return cached;
}

function bundle(): WorkerFiles {
  const root = fileURLToPath(new URL("../../../../", import.meta.url));
  const cache = join(root, "node_modules", ".cache", "gradspec-sweep");
  const result = esbuild().buildSync({
    entryPoints: { "sweep-trial-worker": fileURLToPath(new URL("./trial-worker.ts", import.meta.url)) },
    bundle: true,
    splitting: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    outExtension: { ".js": ".mjs" },
    outdir: join(cache, "build"),
    tsconfig: join(root, "tsconfig.json"),
    write: false,
    logLevel: "silent",
  });
  const files = result.outputFiles.map((file) => ({ name: file.path.slice(join(cache, "build").length + 1), contents: file.contents }));
  const hash = createHash("sha256");
  for (const file of files) hash.update(file.name).update(file.contents);
  const dir = join(cache, hash.digest("hex").slice(0, 16));
  if (!existsSync(dir)) {
    const temp = `${dir}.${process.pid}-${Math.random().toString(36).slice(2)}`;
    mkdirSync(temp, { recursive: true });
    for (const file of files) writeFileSync(join(temp, file.name), file.contents);
    try {
      renameSync(temp, dir);
    } catch {
      rmSync(temp, { recursive: true, force: true }); // another process wrote the same bundle first
    }
    pruneStale(cache, dir);
  }
  return { trialWorker: pathToFileURL(join(dir, "sweep-trial-worker.mjs")) };
}

function esbuild(): typeof Esbuild {
  try {
    return createRequire(import.meta.url)("esbuild") as typeof Esbuild;
  } catch (error) {
    throw new Error(`sweep workers started from the TypeScript sources need esbuild (npm ci installs it): ${(error as Error).message.split("\n")[0]}`);
  }
}

function pruneStale(cache: string, keep: string): void {
  const limit = Date.now() - STALE_DAYS * 24 * 3600 * 1000;
  for (const name of readdirSync(cache)) {
    const path = join(cache, name);
    if (path !== keep && statSync(path).mtimeMs < limit) rmSync(path, { recursive: true, force: true });
  }
}
