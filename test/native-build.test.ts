import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadAddon } from "@gradspec/autograd";

const root = fileURLToPath(new URL("..", import.meta.url));
const script = fileURLToPath(new URL("../packages/autograd/scripts/build-native.mjs", import.meta.url));
const addon = fileURLToPath(new URL("../packages/autograd/native/build/Release/gradspec_native.node", import.meta.url));

function run(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("a native build that cannot run leaves a working install", () => {
  it("the build script exits 0 with one line saying why, and touches no build output", () => {
    const before = existsSync(addon) ? statSync(addon).mtimeMs : null;
    const result = run([script], { GRADSPEC_OPENBLAS_INCLUDE_DIR: "/nonexistent/include" });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout.trimEnd().split("\n")).toEqual([
      "native kernels: not built: no cblas.h in /nonexistent/include (install libopenblas-dev); the WebAssembly kernels will be used",
    ]);
    expect(existsSync(addon) ? statSync(addon).mtimeMs : null).toBe(before);
  });

  it("skipping the build on purpose is one line too", () => {
    const result = run([script], { GRADSPEC_NATIVE_BUILD: "0" });
    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stdout).toMatch(/^native kernels: not built \(GRADSPEC_NATIVE_BUILD=0\)/);
  });

  it("the loader reports a missing addon instead of throwing", () => {
    const load = loadAddon("/nonexistent/gradspec_native.node");
    expect("reason" in load ? load.reason : "loaded").toMatch(/is not built/);
  });

  it("without the addon the engine picks the WebAssembly kernels, and forcing native is one line", () => {
    const pick = "import { selectBackend } from './packages/autograd/src/index.ts'; console.log(selectBackend().name);";
    const missing = { GRADSPEC_NATIVE_ADDON: "/nonexistent/gradspec_native.node", GRADSPEC_KERNELS: "" };
    const fallback = run(["--import", "tsx", "--input-type=module", "-e", pick], missing);
    expect(fallback.stderr).toBe("");
    expect(fallback.stdout.trim()).toBe("wasm");
    const cli = run(["packages/runner/bin/gradspec.js", "validate", "specs/quickstart.yaml"], { ...missing, GRADSPEC_KERNELS: "native" });
    expect(cli.status).toBe(0);
    const forced = run(["--import", "tsx", "--input-type=module", "-e", "import { useBestBackend } from './packages/autograd/src/index.ts'; try { useBestBackend(); } catch (e) { console.log(e.message); }"], {
      ...missing,
      GRADSPEC_KERNELS: "native",
    });
    expect(forced.stdout.trim()).toBe("GRADSPEC_KERNELS=native but the native kernels cannot load: /nonexistent/gradspec_native.node is not built (needs a C compiler and libopenblas-dev when npm ci runs)");
  });
});
