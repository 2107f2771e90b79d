#!/usr/bin/env node
/**
 * Builds the optional native kernels (native/gradspec_native.c against OpenBLAS) with npm's bundled
 * node-gyp and the headers of the Node running this script: nothing is downloaded. Whatever happens
 * it exits 0 and prints one line: built, up to date, or why not (the engine then uses WebAssembly).
 * The package's build runs it, so `npm ci` (whose prepare builds the workspaces) shows the line.
 *
 *   GRADSPEC_NATIVE_BUILD=0              skip the build
 *   GRADSPEC_OPENBLAS_INCLUDE_DIR=DIR    where cblas.h is (default: the usual Debian/Ubuntu/Fedora places)
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

// binding.gyp lives in native/, not at the package root: there npm would run `node-gyp rebuild`
// itself on install, which downloads headers and fails the install when it cannot build.
const nativeDir = join(dirname(fileURLToPath(import.meta.url)), "..", "native");
const source = join(nativeDir, "gradspec_native.c");
const gyp = join(nativeDir, "binding.gyp");
const addon = join(nativeDir, "build", "Release", "gradspec_native.node");
const FALLBACK = "the WebAssembly kernels will be used";

function say(line) {
  console.log(`native kernels: ${line}`);
}

function main() {
  if (process.env.GRADSPEC_NATIVE_BUILD === "0") return say(`not built (GRADSPEC_NATIVE_BUILD=0); ${FALLBACK}`);
  const include = findCblasInclude();
  if (include === null) {
    const where = process.env.GRADSPEC_OPENBLAS_INCLUDE_DIR ?? "the usual include folders";
    return say(`not built: no cblas.h in ${where} (install libopenblas-dev); ${FALLBACK}`);
  }
  const nodeDir = dirname(dirname(process.execPath));
  if (!existsSync(join(nodeDir, "include", "node", "node_api.h"))) {
    return say(`not built: no Node headers in ${join(nodeDir, "include", "node")} (they are never downloaded); ${FALLBACK}`);
  }
  const compiler = process.env.CC ?? "cc";
  if (spawnSync(compiler, ["--version"], { stdio: "ignore" }).status !== 0) return say(`not built: no C compiler (${compiler}); ${FALLBACK}`);
  const nodeGyp = findNodeGyp();
  if (nodeGyp === null) return say(`not built: npm's node-gyp not found; ${FALLBACK}`);
  if (upToDate()) return say(`up to date (${relative(process.cwd(), addon)})`);
  const result = spawnSync(process.execPath, [nodeGyp, "rebuild", `--nodedir=${nodeDir}`], {
    cwd: nativeDir,
    encoding: "utf8",
    env: { ...process.env, GRADSPEC_OPENBLAS_INCLUDE_DIR: include },
  });
  if (result.status !== 0 || !existsSync(addon)) {
    const output = `${result.stdout ?? ""}\n${result.stderr ?? ""}`;
    const reason = output.split("\n").find((l) => /error|cannot find|undefined reference/i.test(l) && !/^gyp (ERR|info)/.test(l)) ?? `node-gyp exited with ${result.status}`;
    return say(`build failed: ${reason.trim()}; ${FALLBACK}`);
  }
  say(`built ${relative(process.cwd(), addon)} (OpenBLAS headers from ${include})`);
}

/** The first folder with cblas.h: the one named by the environment, else the distributions' usual ones. */
function findCblasInclude() {
  const named = process.env.GRADSPEC_OPENBLAS_INCLUDE_DIR;
  const candidates =
    named !== undefined
      ? [named]
      : [`/usr/include/${multiarch()}/openblas-pthread`, "/usr/include/openblas", `/usr/include/${multiarch()}`, "/usr/include", "/usr/local/include", "/opt/homebrew/opt/openblas/include"];
  return candidates.find((dir) => existsSync(join(dir, "cblas.h"))) ?? null;
}

function multiarch() {
  const arch = { x64: "x86_64", arm64: "aarch64" }[process.arch] ?? process.arch;
  return `${arch}-linux-gnu`;
}

/** npm sets npm_config_node_gyp for scripts; otherwise the copy inside the npm next to this Node. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(dirname(process.execPath)), "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
  ];
  return candidates.find((file) => file !== undefined && existsSync(file)) ?? null;
}

function upToDate() {
  if (!existsSync(addon)) return false;
  const built = statSync(addon).mtimeMs;
  return [source, gyp].every((file) => statSync(file).mtimeMs <= built);
}

try {
  main();
} catch (error) {
  say(`build failed: ${error instanceof Error ? error.message : String(error)}; ${FALLBACK}`);
}
