import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand, specWriter } from "./helpers/capture.js";
import { describe, expect, it } from "vitest";
import { spawnGradspec, waitFor } from "./helpers/gradspec-process.js";
import { SYNTHETIC_SECTIONS } from "./helpers/synthetic-spec.js";

const dir = mkdtempSync(join(tmpdir(), "gradspec-identity-"));

const run = runCommand;

const spec = specWriter(dir);

const sweep = `experiment: sweep\n${SYNTHETIC_SECTIONS}sweep:
  seed: 3
  parameters:
    training.learningRate: { logUniform: [1e-3, 0.5] }
  stages:
    - { name: coarse, trials: 3, epochs: 1 }
`;

describe("a run folder belongs to one spec and one run at a time", () => {
  it("a sweep folder resumed with another sweep.seed or training.seed is refused naming the keys, exit 2, nothing touched", async () => {
    const file = spec("sweep", sweep);
    const out = join(dir, "sweep");
    expect((await run(["run", file, "--out", out, "--quiet"])).code).toBe(0);
    const before = readFileSync(join(out, "spec.resolved.yaml"), "utf8");
    const trials = readFileSync(join(out, "trials.jsonl"), "utf8");
    const other = await run(["run", file, "--out", out, "--quiet", "--set", "sweep.seed=4", "--set", "training.seed=9"]);
    expect(other.code).toBe(2);
    expect(other.stderr.trim()).toBe(`${out} holds a run of another spec or data (sweep.seed: 3 there, 4 here; training.seed: 1 there, 9 here); pass another --out, or delete ${out} to start anew`);
    expect(readFileSync(join(out, "spec.resolved.yaml"), "utf8")).toBe(before);
    expect(readFileSync(join(out, "trials.jsonl"), "utf8")).toBe(trials);
    // What cannot change results may differ: parallel, top, the name.
    const same = await run(["run", file, "--out", out, "--quiet", "--set", "sweep.parallel=1", "--set", "sweep.top=1", "--set", "name=renamed"]);
    expect(same.code).toBe(0);
    expect(readFileSync(join(out, "trials.jsonl"), "utf8")).toBe(trials);
    // Other kernels round products differently: resuming with them would mix two computations.
    process.env.GRADSPEC_KERNELS = "plain";
    try {
      const plain = await run(["run", file, "--out", out, "--quiet"]);
      expect(plain.code).toBe(2);
      expect(plain.stderr.trim()).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} holds a run of another spec or data \\(kernels: (native|wasm) there, plain here \\(set GRADSPEC_KERNELS=(native|wasm) to resume it\\)\\); pass another --out`));
    } finally {
      delete process.env.GRADSPEC_KERNELS;
    }
    expect(readFileSync(join(out, "trials.jsonl"), "utf8")).toBe(trials);
  });

  it("a finished train run is not run again into its folder; a folder with results and no identity is refused", async () => {
    const file = spec("train", `experiment: train\n${SYNTHETIC_SECTIONS}`);
    const out = join(dir, "train");
    expect((await run(["run", file, "--out", out, "--quiet"])).code).toBe(0);
    const again = await run(["run", file, "--out", out, "--quiet"]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`${out} already holds this finished run; pass another --out, or delete ${out} to start anew`);
    const old = join(dir, "old");
    mkdirSync(old);
    writeFileSync(join(old, "trials.jsonl"), "");
    const refused = await run(["run", spec("sweep2", sweep), "--out", old, "--quiet"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/holds results \(trials\.jsonl\) with no record of the spec that made them/);
  });

  it("two runs into one folder at once: the second is refused (exit 1) while the first runs", async () => {
    const slow = spec("slow", sweep.replace("trials: 3, epochs: 1", "trials: 40, epochs: 3").replace("train: 150", "train: 3000"));
    const out = join(dir, "busy");
    const first = spawnGradspec(["run", slow, "--out", out, "--quiet", "--set", "sweep.parallel=1"]);
    await waitFor("the first run to start", () => existsSync(join(out, "identity.json")));
    const second = await run(["run", slow, "--out", out, "--quiet"]);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe(`${out} is in use by process ${first.child.pid} (another gradspec run); wait for it to finish, or pass another --out`);
    // Killed outright, it left its lock (and maybe a temporary file of a write); the next run takes the
    // folder over, removes the leftovers and resumes.
    const leftover = join(out, `.checkpoint.safetensors.${first.child.pid}.0123456789ab.tmp`);
    writeFileSync(leftover, new Uint8Array(1 << 20));
    const third = await run(["run", slow, "--out", out, "--quiet"]);
    expect(third.code).toBe(0);
    expect(existsSync(leftover)).toBe(false);
  }, 120_000);
});
