import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Tensor } from "@gradspec/autograd";
import { registerLayer, type Layer, type LayerConfig } from "@gradspec/nn";
import { main, runSpecFile, type Progress, type RunSummary } from "@gradspec/runner";
import { capture } from "./helpers/capture.js";
import { PRUNED_SWEEP_SECTION, SYNTHETIC_SECTIONS } from "./helpers/synthetic-spec.js";

const dir = mkdtempSync(join(tmpdir(), "gradspec-sweep-"));

const base = SYNTHETIC_SECTIONS;

// validation.loss: a continuous metric, so "identical" means bit for bit.
const randomSweep = `experiment: sweep\n${base}sweep:
  method: random
  seed: 7
  metric: validation.loss
  goal: minimize
  parameters:
    training.learningRate: { logUniform: [1e-3, 0.5] }
    training.lambda: { logUniform: [1e-6, 1e-2] }
  stages:
    - { name: coarse, trials: 5, epochs: 1 }
    - { name: fine, trials: 3, epochs: 2, refine: { top: 2, expand: 0.1 } }
  top: 2
`;

const prunedSweep = `experiment: sweep\n${base}${PRUNED_SWEEP_SECTION}`;

// model.activation "linear" validates but cannot be built (a linear layer needs units): those trials fail when they train.
const failingGrid = `experiment: sweep\n${base}sweep:
  method: grid
  metric: validation.accuracy
  parallel: 2
  parameters:
    model.activation: { values: [relu, linear] }
    training.learningRate: { values: [0.05, 0.1] }
  stages:
    - { name: grid, epochs: 1 }
  top: 2
`;

function spec(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

function logging(): Progress & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (line) => void lines.push(line), bar: () => ({ update: () => undefined, stop: () => undefined }) };
}

interface Logged {
  id: string;
  status: string;
  metric: number | string;
  seconds: number;
  message?: string;
}

function trials(out: string): Logged[] {
  return readFileSync(join(out, "trials.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{") && line.endsWith("}"))
    .map((line) => JSON.parse(line) as Logged);
}

/** trials.jsonl without timings, in id order. */
function records(out: string): Omit<Logged, "seconds">[] {
  return trials(out)
    .map(({ seconds: _seconds, ...rest }) => rest)
    .sort((a, b) => a.id.localeCompare(b.id));
}

class Identity implements Layer {
  readonly type = "sweepTestIdentity";
  readonly params = {};
  readonly decayed = [];
  readonly buffers = {};
  constructor(readonly outputDim: number) {}
  forward(x: Tensor): Tensor {
    return x;
  }
  describe(): LayerConfig {
    return { type: this.type };
  }
}

function summaryOf(out: string): RunSummary {
  return JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
}

describe("sweep trials on worker threads", () => {
  it("parallel 2 gives the same trials and stages as parallel 1", async () => {
    const file = spec("random", randomSweep);
    const one = join(dir, "one");
    const two = join(dir, "two");
    await runSpecFile(file, { out: one, overrides: ["sweep.parallel=1"], progress: logging() });
    const progress = logging();
    await runSpecFile(file, { out: two, overrides: ["sweep.parallel=2"], progress });
    expect(records(two)).toEqual(records(one));
    expect(records(two)).toHaveLength(8);
    expect(summaryOf(two).sweep?.stages).toEqual(summaryOf(one).sweep?.stages);
    expect(summaryOf(two).status).toBe("completed");
    expect(progress.lines.filter((line) => line.startsWith("trial "))).toHaveLength(8);
  });

  it("a pruned sweep (successive halving, two stages, a final) is the same with parallel 1 and 2 and run to run", async () => {
    const file = spec("pruned", prunedSweep);
    const runs = ["pruned-1", "pruned-2", "pruned-again"].map((name) => join(dir, name));
    for (const [i, out] of runs.entries()) await runSpecFile(file, { out, overrides: [`sweep.parallel=${i === 1 ? 2 : 1}`], progress: logging() });
    // Every number but timings (the final retraining's history has per-epoch seconds too).
    const timeless = (out: string): string => JSON.stringify(records(out), (key, value: unknown) => (key === "seconds" ? undefined : value));
    const [one, two, again] = runs.map(timeless);
    expect(two).toEqual(one);
    expect(again).toEqual(one);
    const statuses = records(runs[0]).map((r) => r.status);
    // Stage 1: 8 trials, 4 kept at epoch 1, 2 at epoch 2; stage 2: 3 trials, 1 kept at epoch 1; one final.
    expect(statuses.filter((s) => s === "pruned")).toHaveLength(6 + 2);
    expect(statuses.filter((s) => s === "completed")).toHaveLength(2 + 1 + 1);
    const summary = summaryOf(runs[1]);
    expect(summary.sweep?.stages[0].trials.slice(0, 2).map((t) => t.status)).toEqual(["ok", "ok"]);
    expect(summary.sweep?.final?.length).toBe(1);
    const tables = readFileSync(join(runs[1], "tables.md"), "utf8");
    expect(tables).toContain("successive halving at epochs 1, 2 (η = 2): 2 completed, 6 pruned (4 at epoch 1, 2 at epoch 2); 16 of 32 trial-epochs (50 %)");
    expect(tables).toMatch(/\| 1 \| successive halving \| 8 \| 4 \| 4 \| /);
    expect(existsSync(join(runs[1], "sweep-1-coarse-curves.svg"))).toBe(true);
    expect(existsSync(join(runs[1], "states"))).toBe(false);
  });

  it("ASHA and median stopping run to the end and record every verdict with the trial", async () => {
    const text = prunedSweep
      .replace("{ type: successiveHalving, rungs: [1, 2], reductionFactor: 2 }", "{ type: asha, rungs: [1, 2], reductionFactor: 2 }")
      .replace("earlyTerminate: { type: successiveHalving, rungs: [1] }", "earlyTerminate: { type: median, minEpochs: 1, minTrials: 1 }");
    const out = join(dir, "async-rules");
    const { summary } = await runSpecFile(spec("async-rules", text), { out, overrides: ["sweep.parallel=2"], progress: logging() });
    expect(summary.status).toBe("completed");
    const logged = trials(out) as (Logged & { decisions?: { rule: string; verdict: string }[]; epochs: number })[];
    const rules = new Set(logged.flatMap((t) => (t.decisions ?? []).map((d) => d.rule)));
    expect([...rules].sort()).toEqual(["asha", "median"]);
    for (const t of logged.filter((r) => r.status === "pruned")) expect(t.decisions?.[t.decisions.length - 1]?.verdict).toBe("stop");
    for (const t of logged.filter((r) => r.status === "completed" && r.id.startsWith("1-"))) expect(t.decisions?.map((d) => d.verdict)).toEqual(["continue", "continue"]);
  });

  it("a trial that fails at train time is recorded as failed; the sweep completes and says how to retry", async () => {
    const file = spec("failing", failingGrid);
    const out = join(dir, "failing");
    const io = capture();
    expect(await main(["run", file, "--out", out, "--quiet"], io)).toBe(1);
    expect(io.stderr()).toBe("");
    expect(io.stdout()).toContain(`2 trial(s) failed; run the same command with --out ${out} to retry them`);
    const logged = trials(out);
    expect(logged.map((t) => t.status).sort()).toEqual(["completed", "completed", "failed", "failed"]);
    for (const t of logged.filter((r) => r.status === "failed")) expect(t.message).toMatch(/^layer \d+ \(linear\): .*units/);
    const stage = summaryOf(out).sweep?.stages[0];
    expect(stage?.trials.map((t) => t.status)).toEqual(["ok", "ok", "failed", "failed"]);
    expect(existsSync(join(out, "summary.json"))).toBe(true);

    // Retrying runs the failed trials again and only them.
    expect(await main(["run", file, "--out", out, "--quiet"], capture())).toBe(1);
    const again = trials(out);
    expect(again).toHaveLength(6);
    expect(again.slice(4).map((t) => t.status)).toEqual(["failed", "failed"]);
  });

  it("a missing data folder ends the sweep with one line, as a train run does", async () => {
    const file = spec("nodata", `experiment: sweep\ndata: { source: cifar10, dir: ./no-such-folder }\nmodel: { hidden: [4] }\nsweep:\n  parallel: 2\n  parameters:\n    training.learningRate: { logUniform: [1e-3, 0.5] }\n  stages:\n    - { name: coarse, trials: 2, epochs: 1 }\n`);
    const io = capture();
    expect(await main(["run", file, "--out", join(dir, "nodata"), "--quiet"], io)).toBe(1);
    expect(io.stderr()).toMatch(/no-such-folder.*not found/);
    expect(io.stderr().trim().split("\n")).toHaveLength(1);
  });

  it("a layer type registered in this thread by code, not by a --plugin module, makes the trials run here", async () => {
    registerLayer("sweepTestIdentity", (_config, ctx) => new Identity(ctx.inputDim));
    const text = randomSweep.replace("hidden: [8]\n  batchNorm: true", "layers: [{ type: linear, units: 8 }, { type: sweepTestIdentity }, { type: relu }]");
    const progress = logging();
    const { summary } = await runSpecFile(spec("plugin", text), { out: join(dir, "plugin"), overrides: ["sweep.parallel=2"], progress });
    expect(progress.lines.join("\n")).toMatch(/sweepTestIdentity were registered in this thread but not by a --plugin module, so worker threads do not have them: trials run one at a time in this thread/);
    expect(summary.status).toBe("completed");
  });
});
