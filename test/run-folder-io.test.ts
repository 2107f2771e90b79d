import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "@gradspec/runner";
import { capture } from "./helpers/capture.js";
import { SYNTHETIC_SECTIONS } from "./helpers/synthetic-spec.js";

const dir = mkdtempSync(join(tmpdir(), "gradspec-folder-io-"));
const spec = join(dir, "train.yaml");
writeFileSync(spec, `experiment: train\n${SYNTHETIC_SECTIONS}`);
const mounted: string[] = [];
afterAll(() => {
  for (const point of mounted) execFileSync("umount", [point]);
  rmSync(dir, { recursive: true, force: true });
});

async function run(out: string): Promise<{ code: number; stderr: string }> {
  const io = capture();
  const code = await main(["run", spec, "--out", out, "--quiet"], io);
  return { code, stderr: io.stderr() };
}

/** A tmpfs mounted at dir/name with `options`; skips the test, saying why, where mounting is not allowed (not root). */
function mountTmpfs(name: string, options: string, ctx: { skip: () => void }): string {
  const point = join(dir, name);
  mkdirSync(point, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", point], { stdio: "pipe" });
    mounted.push(point);
  } catch (error) {
    console.warn(`skipped: cannot mount a tmpfs here (${String((error as { stderr?: unknown }).stderr ?? error).trim().split("\n")[0]})`);
    ctx.skip();
  }
  return point;
}

describe("run folders that cannot be made or written: one line naming the path and the cause, exit 1", () => {
  it.skipIf(!existsSync("/proc/self"))("--out under /proc fails at once instead of hanging", async () => {
    const result = await run("/proc/gradspec-x/run");
    expect(result).toEqual({ code: 1, stderr: "/proc/gradspec-x: cannot create the folder: the file system does not allow creating it there (ENOENT); pass another --out\n" });
  });

  it("a file where a folder should be", async () => {
    const result = await run(join(spec, "run"));
    expect(result).toEqual({ code: 1, stderr: `${spec}: cannot create a run folder in it: a part of the path is a file, not a folder (ENOTDIR); pass another --out\n` });
  });

  it("a read-only file system", async (ctx) => {
    const point = mountTmpfs("read-only", "ro,size=64k", ctx);
    const result = await run(join(point, "run"));
    expect(result).toEqual({ code: 1, stderr: `${join(point, "run")}: cannot create the folder: the file system is read-only (EROFS); pass another --out\n` });
  });

  it("a full disk names the file it could not write and keeps what was written", async (ctx) => {
    const point = mountTmpfs("full", "size=40k", ctx);
    const out = join(point, "run");
    const result = await run(out);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/[\\w.-]+: cannot write: no space left on the device \\(ENOSPC\\); free some space; what is written is kept \\(a sweep resumes where it stopped\\)\\n$`));
    // Whole files only: every one that is there parses, and no temporary file is left.
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { status: string };
    expect(summary.status).toBe("completed");
    expect(execFileSync("ls", ["-a", out], { encoding: "utf8" })).not.toMatch(/\.tmp/);
  });
});
