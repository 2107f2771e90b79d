import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "./helpers/capture.js";
import { describe, expect, it } from "vitest";
import { nativeBackend } from "@gradspec/autograd";
import { spawnGradspec, waitFor } from "./helpers/gradspec-process.js";

const dir = mkdtempSync(join(tmpdir(), "gradspec-resume-"));

const run = runCommand;

// Dropout and Adam: the masks, moments and step count must all continue, or the histories part.
const SPEC = `experiment: train
data: {source: synthetic, synthetic: {train: 4000, dim: 16}}
model: {layers: [{type: linear, units: 24}, {type: dropout, rate: 0.3}, {type: tanh}]}
training: {epochs: 3, optimizer: adam, learningRate: 0.003, batchSize: 50}
`;
const specFile = join(dir, "resume.yaml");
writeFileSync(specFile, SPEC);

type Summary = { train: { history: Record<string, number>[]; final: unknown } };
const summary = (folder: string): Summary => JSON.parse(readFileSync(join(folder, "summary.json"), "utf8")) as Summary;
/** The history without its timings, which are the only numbers that may differ. */
const numbers = (s: Summary) => ({ history: s.train.history.map(({ seconds: _seconds, ...row }) => row), final: s.train.final });

describe("gradspec run --resume", () => {
  it("continues a finished run to more epochs, bit for bit the uninterrupted run", async () => {
    const whole = join(dir, "whole");
    expect((await run(["run", specFile, "--out", whole, "--quiet", "--set", "training.epochs=6"])).code).toBe(0);
    const part = join(dir, "part");
    expect((await run(["run", specFile, "--out", part, "--quiet"])).code).toBe(0);
    const again = await run(["run", specFile, "--resume", part, "--quiet"]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`${part} already holds all 3 epochs of this run; raise training.epochs (e.g. --set training.epochs=6) to train it further`);
    const resumed = spawnGradspec(["run", specFile, "--resume", part, "--set", "training.epochs=6"]);
    expect((await resumed.exited).code, resumed.stderr()).toBe(0);
    expect(resumed.stderr()).toContain(`resuming at epoch 3 of 6 from ${join(part, "checkpoint.safetensors")}`);
    expect(summary(part).train.history.map((r) => r["epoch"])).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(numbers(summary(part))).toEqual(numbers(summary(whole)));
  }, 60_000);

  it("an interrupted run continues from the checkpoint of its last whole epoch, into the same results", async () => {
    const slowSpec = join(dir, "slow.yaml");
    writeFileSync(slowSpec, SPEC.replace("train: 4000", "train: 40000").replace("epochs: 3", "epochs: 8"));
    const whole = join(dir, "slow-whole");
    expect((await run(["run", slowSpec, "--out", whole, "--quiet"])).code).toBe(0);
    const cut = join(dir, "slow-cut");
    const first = spawnGradspec(["run", slowSpec, "--out", cut, "--quiet"]);
    await waitFor("the first epoch's checkpoint", () => existsSync(join(cut, "checkpoint.safetensors")));
    first.child.kill("SIGKILL");
    await first.exited;
    expect(existsSync(join(cut, "summary.json"))).toBe(false);
    const resumed = spawnGradspec(["run", slowSpec, "--out", cut]);
    expect((await resumed.exited).code, resumed.stderr()).toBe(0);
    expect(resumed.stderr()).toMatch(/resuming at epoch [1-7] of 8/);
    expect(numbers(summary(cut))).toEqual(numbers(summary(whole)));
  }, 120_000);

  it("refuses what it cannot continue, in one line", async () => {
    const part = join(dir, "part");
    const other = await run(["run", specFile, "--resume", part, "--set", "model.layers.0.units=8"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/holds a run of another spec or data \(model\.layers: .* there, .* here\)/);
    expect((await run(["run", specFile, "--resume", join(dir, "none")])).stderr.trim()).toBe(`--resume ${join(dir, "none")}: no run folder there (it has no identity.json); pass the folder a train run wrote`);
    const sweepFile = join(dir, "sweep.yaml");
    writeFileSync(sweepFile, `${SPEC.replace("experiment: train", "experiment: sweep")}sweep: {trials: 1, parameters: {training.learningRate: {values: [0.01]}}}\n`);
    expect((await run(["run", sweepFile, "--resume", part])).stderr).toMatch(/--resume continues a train run; .*sweep\.yaml is a sweep experiment/);
    writeFileSync(join(part, "checkpoint.safetensors"), "garbage");
    const corrupt = await run(["run", specFile, "--resume", part, "--set", "training.epochs=9"]);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr.trim()).toMatch(new RegExp(`^${join(part, "checkpoint.safetensors")}: .*; pass another --out to start anew$`));
  }, 60_000);
});

describe("the run header", () => {
  it.skipIf(nativeBackend() === null)("notes an OPENBLAS_CORETYPE that overrides OpenBLAS's choice of kernels (native kernels only)", async () => {
    const forced = spawnGradspec(["run", specFile, "--out", join(dir, "coretype"), "--set", "training.epochs=1"], { OPENBLAS_CORETYPE: "Haswell", GRADSPEC_KERNELS: "native" });
    expect((await forced.exited).code, forced.stderr()).toBe(0);
    expect(forced.stderr()).toContain("note: OPENBLAS_CORETYPE=Haswell makes OpenBLAS use those kernels instead of this CPU's own");
    const own = spawnGradspec(["run", specFile, "--out", join(dir, "coretype-unset"), "--set", "training.epochs=1"], { OPENBLAS_CORETYPE: "", GRADSPEC_KERNELS: "native" });
    expect((await own.exited).code, own.stderr()).toBe(0);
    expect(own.stderr()).not.toContain("OPENBLAS_CORETYPE");
  }, 60_000);
});
