import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;

/** The first ```ts block of a package's README. */
function example(pkg: string): string {
  const text = readFileSync(join(root, "packages", pkg, "README.md"), "utf8");
  const match = /```ts\n([\s\S]*?)```/.exec(text);
  if (match === null) throw new Error(`packages/${pkg}/README.md has no ts example`);
  return match[1];
}

/** Runs code as a module of the repository (so @gradspec/* resolve), printing what it logs. */
async function execute(name: string, code: string): Promise<string> {
  const file = join(root, "test", `.readme-${name}.mts`);
  writeFileSync(file, code);
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", file], { cwd: root, timeout: 120_000 });
    return stdout;
  } finally {
    rmSync(file, { force: true });
  }
}

describe("the packages' README examples run as written", () => {
  it("@gradspec/nn: trains, reports, checkpoints", async () => {
    const out = await execute("nn", `${example("nn")}\nconsole.log(bytes.length > 0);\n`);
    expect(out).toMatch(/^completed 0\.\d+\ntrue\n$/);
  }, 120_000);

  it("@gradspec/runner: loads a spec with its defaults and runs the quick start into a folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradspec-readme-"));
    try {
      const code = example("runner").replace('"runs/qs"', JSON.stringify(join(dir, "qs")));
      const out = await execute("runner", code);
      expect(out).toMatch(new RegExp(`^10\\ncompleted 0\\.9\\d+ ${join(dir, "qs").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n$`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
