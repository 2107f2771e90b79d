import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeSafetensors } from "@gradspec/nn";
import type { RunSummary } from "@gradspec/runner";
import { runCommand, specWriter } from "./helpers/capture.js";
import { SYNTHETIC_SECTIONS } from "./helpers/synthetic-spec.js";


const dir = mkdtempSync(join(tmpdir(), "gradspec-cli-"));

const common = SYNTHETIC_SECTIONS;

const spec = specWriter(dir);

const run = runCommand;

function summaryOf(out: string): RunSummary {
  return JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
}

describe("gradspec run, end to end on synthetic data", () => {
  it("train: writes the whole run folder and prints the final accuracy", async () => {
    const out = join(dir, "train-run");
    const result = await run(["run", spec("train", `experiment: train\n${common}`), "--out", out, "--quiet"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/train: train accuracy \d+\.\d\d%, validation accuracy \d+\.\d\d%, test accuracy \d+\.\d\d%/);
    for (const file of ["spec.resolved.yaml", "summary.json", "metrics.csv", "tables.md", "history.svg", "checkpoint.safetensors"]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const summary = summaryOf(out);
    expect(summary.status).toBe("completed");
    expect(summary.train?.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3]);
    expect(summary.train?.final.test?.accuracy).toBeGreaterThan(0.8);
    expect(readFileSync(join(out, "metrics.csv"), "utf8").trim().split("\n")).toHaveLength(5);
    const ckpt = decodeSafetensors(readFileSync(join(out, "checkpoint.safetensors")));
    const names = Object.keys(ckpt.tensors).sort();
    expect(names.filter((n) => !n.startsWith("gradspec."))).toEqual(["W1", "W2", "b1", "b2", "beta1", "gamma1", "preprocess.mean", "preprocess.std", "runningMean1", "runningVar1"]);
    // The training state rides along, so the run can be continued (--resume): velocities and the sample order.
    expect(names.filter((n) => n.startsWith("gradspec."))).toEqual(["gradspec.optimizer.W1", "gradspec.optimizer.W2", "gradspec.optimizer.b1", "gradspec.optimizer.b2", "gradspec.optimizer.beta1", "gradspec.optimizer.gamma1", "gradspec.order"]);
    expect(readFileSync(join(out, "spec.resolved.yaml"), "utf8")).toContain("batchNorm:");
  });

  it("--set overrides keys before validation", async () => {
    const out = join(dir, "set-run");
    const result = await run(["run", spec("set", `experiment: train\n${common}`), "--out", out, "--quiet", "--set", "training.epochs=1", "--set", "model.hidden=[4, 3]"]);
    expect(result.code).toBe(0);
    const summary = summaryOf(out);
    expect(summary.train?.history).toHaveLength(2);
    expect(readFileSync(join(out, "spec.resolved.yaml"), "utf8")).toMatch(/hidden:\s*\n\s*- 4\n\s*- 3/);
  });

  it("gradcheck: per-parameter tables and a re-checkable case file", async () => {
    const out = join(dir, "gradcheck-run");
    const text = `experiment: gradcheck\n${common}gradcheck: { batch: 20, lambdas: [0, 0.01] }\n`;
    const result = await run(["run", spec("gradcheck", text), "--out", out, "--quiet"]);
    expect(result.code).toBe(0);
    const summary = summaryOf(out);
    expect(summary.gradcheck?.cases.map((c) => c.lambda)).toEqual([0, 0.01]);
    for (const c of summary.gradcheck?.cases ?? []) {
      for (const p of c.parameters) expect(p.max, p.name).toBeLessThan(1e-5);
    }
    const tables = readFileSync(join(out, "tables.md"), "utf8");
    expect(tables).toMatch(/λ = 0\.01/);
    expect(tables).toMatch(/\| W1 \|/);
    const kase = decodeSafetensors(readFileSync(join(out, "gradcheck-case.safetensors")));
    expect(kase.tensors["batch.x"].shape).toEqual([20, 6]);
    expect(kase.tensors["grad.lambda1.W1"].shape).toEqual([6, 8]);
    expect(JSON.parse(kase.metadata["gradspec.lambdas"])).toEqual([0, 0.01]);
  });

  it("gradcheck as a gate: a tolerance that the errors exceed fails the run (exit 1) naming each parameter; one they meet passes", async () => {
    const text = (tolerance: string, mode = "") => `experiment: gradcheck\n${common}gradcheck: { batch: 20, ${mode}tolerance: ${tolerance} }\n`;
    const strict = await run(["run", spec("gate-strict", text("{max: 1e-30, mean: 1e-30}")), "--out", join(dir, "gate-strict"), "--quiet"]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/status: failed \(W1 at λ = 0: max \d\.\d\de-\d+ above gradcheck\.tolerance\.max 1e-30; W1 at λ = 0: mean .* above gradcheck\.tolerance\.mean 1e-30;/);
    expect(existsSync(join(dir, "gate-strict", "tables.md"))).toBe(true);
    const loose = await run(["run", spec("gate-loose", text("{max: 1e-5, mean: 1e-6}")), "--out", join(dir, "gate-loose"), "--quiet"]);
    expect(loose.code).toBe(0);
    const random = await run(["run", spec("gate-random", text("{max: 1e-5}", "mode: random, directions: 5, ")), "--out", join(dir, "gate-random"), "--quiet"]);
    expect(random.code).toBe(0);
    const tables = readFileSync(join(dir, "gate-random", "tables.md"), "utf8");
    expect(tables).toMatch(/\| Gradient \| Max \| μ \| σ² \| worst direction \|/);
    expect(tables).toMatch(/\| W1 \| [\d.e+-]+ \| [\d.e+-]+ \| [\d.e+-]+ \| [0-4] \|/);
  });

  it("gradcheck on worker threads gives the tables of the check in one thread", async () => {
    const text = `experiment: gradcheck\n${common}gradcheck: { batch: 20, lambdas: [0.01] }\n`;
    const file = spec("gradcheck-workers", text);
    const tables: unknown[] = [];
    for (const workers of ["1", "2"]) {
      const out = join(dir, `gradcheck-workers-${workers}`);
      process.env.GRADSPEC_GRADCHECK_WORKERS = workers;
      try {
        const result = await run(["run", file, "--out", out, "--quiet"]);
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
      } finally {
        delete process.env.GRADSPEC_GRADCHECK_WORKERS;
      }
      tables.push(summaryOf(out).gradcheck?.cases.map((c) => c.parameters));
    }
    expect(tables[1]).toEqual(tables[0]);
  });

  it("compare: variants side by side, a diverging one reported with its epoch and batch (exit 1, everything written)", async () => {
    const out = join(dir, "compare-run");
    const text = `experiment: compare\n${common}compare:\n  variants:\n    - { name: BN, set: { model.batchNorm: true } }\n    - { name: no BN huge rate, set: { model.batchNorm: false, training.learningRate: 1e30, training.lambda: 1 } }\n`;
    const result = await run(["run", spec("compare", text), "--out", out, "--quiet"]);
    expect(result.code).toBe(1);
    const summary = summaryOf(out);
    expect(summary.status).toBe("diverged");
    const [bn, noBn] = summary.compare?.variants ?? [];
    expect(bn.status).toBe("completed");
    expect(noBn.status).toBe("diverged");
    expect(noBn.message).toMatch(/^diverged at epoch \d+, batch \d+/);
    expect(readFileSync(join(out, "tables.md"), "utf8")).toMatch(/diverged at epoch \d+, batch \d+/);
    expect(existsSync(join(out, "compare-loss.svg"))).toBe(true);
  });

  it("train that diverges exits with 1 and keeps what it wrote", async () => {
    const out = join(dir, "diverge-run");
    const result = await run(["run", spec("diverge", `experiment: train\n${common}`), "--out", out, "--quiet", "--set", "model.batchNorm=false", "--set", "training.learningRate=1e30", "--set", "training.lambda=1"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/diverged at epoch \d+, batch \d+/);
    expect(summaryOf(out).status).toBe("diverged");
  });
});

describe("divergence", () => {
  const text = `experiment: train\n${common}`;
  const set = ["--set", "model.batchNorm=false", "--set", "training.learningRate=20"];

  it("a cost a million times its first is divergence (exit 1) unless the spec raises the ratio", async () => {
    const ruled = await run(["run", spec("ratio", text), "--out", join(dir, "ratio-run"), "--quiet", ...set]);
    expect(ruled.code).toBe(1);
    expect(ruled.stdout).toMatch(/diverged at epoch 1, batch \d+ \(cost [\d.]+e\+\d+, above 1e6× the first batch's [\d.]+\)/);
    const raised = await run(["run", spec("ratio", text), "--out", join(dir, "ratio-raised"), "--quiet", ...set, "--set", "training.divergence.costRatio=1e300"]);
    expect(raised.stdout).not.toMatch(/above/);
  });

  it("a sweep whose every trial diverged fails with a reason instead of a best NaN", async () => {
    const sweep = `experiment: sweep\n${common}sweep:\n  trials: 3\n  parallel: 1\n  parameters:\n    training.learningRate: {logUniform: [1e29, 1e30]}\n  final: {top: 1}\n`;
    const result = await run(["run", spec("all-diverge", sweep), "--out", join(dir, "all-diverge"), "--quiet", "--set", "model.batchNorm=false"]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/NaN/);
    expect(result.stdout).toMatch(/status: failed \(no trial of stage stage1 completed \(3 diverged\), so there is no best trial to retrain; narrow the ranges/);
  });
});

describe("sweeps", () => {
  const sweepText = `experiment: sweep\n${common}sweep:
  method: random
  seed: 3
  metric: validation.accuracy
  parameters:
    training.learningRate: { logUniform: [1e-3, 0.5] }
    training.lambda: { logUniform: [1e-6, 1e-2] }
  stages:
    - { name: coarse, trials: 4, epochs: 1 }
    - { name: fine, trials: 3, epochs: 2, refine: { top: 2, expand: 0.1 } }
  top: 2
`;

  it("runs coarse-to-fine stages, ranks trials and narrows the ranges", async () => {
    const out = join(dir, "sweep-run");
    const result = await run(["run", spec("sweep", sweepText), "--out", out, "--quiet"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const summary = summaryOf(out);
    const [coarse, fine] = summary.sweep?.stages ?? [];
    expect(coarse.trials).toHaveLength(4);
    expect(fine.trials).toHaveLength(3);
    const metrics = coarse.trials.map((t) => t.metric);
    expect(metrics).toEqual([...metrics].sort((a, b) => b - a));
    const best = coarse.trials.slice(0, 2).map((t) => t.params["training.learningRate"]);
    for (const t of fine.trials) {
      expect(t.params["training.learningRate"]).toBeGreaterThanOrEqual(Math.min(...best) * 0.5);
      expect(t.params["training.learningRate"]).toBeLessThanOrEqual(Math.max(...best) * 2);
    }
    expect(readFileSync(join(out, "trials.jsonl"), "utf8").trim().split("\n")).toHaveLength(7);
    expect(existsSync(join(out, "sweep-1-coarse.svg"))).toBe(true);
  });

  it("an interrupted sweep resumes: nothing lost, nothing repeated, same results", async () => {
    const full = summaryOf(join(dir, "sweep-run"));
    const out = join(dir, "sweep-resumed");
    const lines = readFileSync(join(dir, "sweep-run", "trials.jsonl"), "utf8").trim().split("\n");
    // Simulate an interruption after three trials, the third torn mid-line, plus a failed one.
    mkdirSync(out, { recursive: true });
    copyFileSync(join(dir, "sweep-run", "identity.json"), join(out, "identity.json"));
    writeFileSync(join(out, "trials.jsonl"), `${lines[0]}\n${lines[1]}\n${lines[2].slice(0, 20)}`);
    const failed = { ...JSON.parse(lines[3]), status: "failed", metric: "NaN", message: "killed" };
    appendFileSync(join(out, "trials.jsonl"), `\n${JSON.stringify(failed)}\n`);
    const result = await run(["run", spec("sweep2", sweepText), "--out", out, "--quiet"]);
    expect(result.code).toBe(0);
    const log = readFileSync(join(out, "trials.jsonl"), "utf8").trim().split("\n").filter((l) => l.startsWith("{") && l.endsWith("}"));
    const ids = log.map((l) => (JSON.parse(l) as { id: string; status: string }))
      .filter((r) => r.status !== "failed")
      .map((r) => r.id);
    // Each trial finished exactly once: the two intact ones were not re-run.
    expect(ids.sort()).toEqual(["1-0", "1-1", "1-2", "1-3", "2-0", "2-1", "2-2"]);
    const resumed = summaryOf(out);
    expect(resumed.sweep?.stages.map((s) => s.trials.map((t) => [t.id, t.metric]))).toEqual(full.sweep?.stages.map((s) => s.trials.map((t) => [t.id, t.metric])));
  });
});

describe("the trials log", () => {
  it("a torn last line (killed mid-append) is cut before the next record, so no record is glued onto it and lost", async () => {
    const full = join(dir, "sweep-run");
    const out = join(dir, "sweep-torn");
    mkdirSync(out, { recursive: true });
    copyFileSync(join(full, "identity.json"), join(out, "identity.json"));
    const lines = readFileSync(join(full, "trials.jsonl"), "utf8").trim().split("\n");
    writeFileSync(join(out, "trials.jsonl"), `${lines[0]}\n${lines[1]}\n${lines[2].slice(0, 30)}`);
    const result = await run(["run", spec("sweep-torn", readFileSync(join(dir, "sweep.yaml"), "utf8")), "--out", out]);
    expect(result.code).toBe(0);
    const text = readFileSync(join(out, "trials.jsonl"), "utf8");
    const records = text.trim().split("\n").map((l) => JSON.parse(l) as { id: string }); // every line whole
    expect(records.map((r) => r.id).sort()).toEqual(lines.map((l) => (JSON.parse(l) as { id: string }).id).sort());
  });
});

describe("bad input", () => {
  it("a bad spec is one line per problem with file:line:col, exit 2, nothing written", async () => {
    const file = spec("bad", `experiment: train\n${common}`.replace("epochs: 3", "epoch: 3"));
    const out = join(dir, "never");
    const result = await run(["run", file, "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: training\\.epoch: .*did you mean epochs`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it("a missing CIFAR-10 folder names the folder and how to get the data, exit 1", async () => {
    const file = spec("cifar", `experiment: train\ndata: { source: cifar10, dir: ./no-such-folder }\nmodel: { hidden: [4] }\n`);
    const result = await run(["run", file, "--out", join(dir, "cifar-run"), "--quiet"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no-such-folder.*not found.*cifar/i);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("validate, schema, report and unknown commands", async () => {
    const good = await run(["validate", spec("good", `experiment: train\n${common}`)]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/: ok\n$/);
    const schema = await run(["schema"]);
    expect(JSON.parse(schema.stdout).properties.experiment).toBeDefined();
    const report = await run(["report", join(dir, "train-run")]);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/tables\.md/);
    const unknown = await run(["frobnicate"]);
    expect(unknown.code).toBe(2);
    const noSummary = await run(["report", dir]);
    expect(noSummary.code).toBe(2);
    expect(noSummary.stderr).toMatch(/no summary\.json here/);
  });
});
