import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng, Tensor } from "@gradspec/autograd";
import { Sequential, lossAndCost } from "@gradspec/nn";
import { anyTensorArb, checkGradients } from "@gradspec/nn/testing";
import { Swish } from "../examples/custom-layer/swish.js";
import { spawnGradspec } from "./helpers/gradspec-process.js";

const doc = readFileSync(new URL("../docs/custom-layer.md", import.meta.url), "utf8");
const source = readFileSync(new URL("../examples/custom-layer/swish.ts", import.meta.url), "utf8");

describe("docs/custom-layer.md", () => {
  it("shows the example layer verbatim", () => {
    expect(doc).toContain("```ts\n" + source + "```");
  });

  it("the layer's gradients (input and β) pass the property check", () => {
    const layer = new Swish(0, 1.5);
    fc.assert(
      fc.property(anyTensorArb(), (x) => {
        checkGradients((p) => layer.forward(p.x, { training: true }), { x, beta: layer.params.beta });
      }),
      { numRuns: 50 },
    );
    const y = layer.forward(Tensor.from([2, -3]), { training: false }).toArray();
    expect(y[0]).toBeCloseTo(2 / (1 + Math.exp(-3)), 14);
    expect(y[1]).toBeCloseTo(-3 / (1 + Math.exp(4.5)), 14);
  });

  it("is usable by name once registered, in a network whose gradients check out", () => {
    const net = Sequential.fromConfigs(
      6,
      [{ type: "linear", units: 5 }, { type: "batchnorm" }, { type: "swish", beta: 0.5 }, { type: "linear", units: 3 }],
      new Rng(1),
    );
    expect(net.describe().layers[2]).toEqual({ type: "swish", beta: 0.5 });
    expect([...net.params.keys()]).toContain("beta1");
    const rng = new Rng(2);
    const x = Tensor.randn([8, 6], rng);
    const labels = [0, 1, 2, 0, 1, 2, 0, 1];
    checkGradients(() => lossAndCost(net, x, labels, 0.01, { training: true }).cost, net.paramRecord(), { tolerance: 1e-6 });
  });
});

describe("--plugin with the example's TypeScript source, in the command npm ci builds", () => {
  it("validate and run load it (through tsx) and the run uses the layer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradspec-plugin-"));
    try {
      const spec = join(dir, "swish.yaml");
      writeFileSync(spec, "experiment: train\ndata: {source: synthetic}\nmodel:\n  layers: [{type: linear, units: 4}, {type: swish, beta: 0.5}]\ntraining: {epochs: 1}\n");
      const plugin = ["--plugin", "./examples/custom-layer/swish.ts"];
      const without = spawnGradspec(["validate", spec], {}, { built: true });
      expect((await without.exited).code).toBe(2);
      expect(without.stderr()).toMatch(/model\.layers\.1\.type: unknown layer type "swish".*\(a plugin layer needs --plugin\)/);
      const validate = spawnGradspec(["validate", spec, ...plugin], {}, { built: true });
      expect(await validate.exited).toEqual({ code: 0, signal: null });
      const out = join(dir, "run");
      const run = spawnGradspec(["run", spec, ...plugin, "--out", out, "--quiet"], {}, { built: true });
      expect(await run.exited, run.stderr()).toEqual({ code: 0, signal: null });
      const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { train: { history: unknown[] } };
      expect(summary.train.history.length).toBe(2);
      expect(readFileSync(join(out, "spec.resolved.yaml"), "utf8")).toMatch(/type: swish\s+beta: 0\.5/);
      // A sweep over the plugin layer: every worker thread imports the plugin too.
      const sweep = join(dir, "sweep.yaml");
      writeFileSync(sweep, `${readFileSync(spec, "utf8")}experiment: sweep\nsweep:\n  trials: 2\n  parallel: 2\n  parameters:\n    training.learningRate: {logUniform: [0.01, 0.1]}\n`.replace("experiment: train\n", ""));
      const swept = spawnGradspec(["run", sweep, ...plugin, "--out", join(dir, "sweep-run")], {}, { built: true });
      expect(await swept.exited, swept.stderr()).toEqual({ code: 0, signal: null });
      expect(swept.stderr()).toMatch(/trials run on 2 worker threads/);
      expect(readFileSync(join(dir, "sweep-run", "trials.jsonl"), "utf8").trim().split("\n")).toHaveLength(2);
      // The declaration's range is checked at validation, at the option's place.
      writeFileSync(join(dir, "wide.yaml"), readFileSync(spec, "utf8").replace("beta: 0.5", "beta: 500"));
      const wide = spawnGradspec(["validate", join(dir, "wide.yaml"), ...plugin], {}, { built: true });
      expect((await wide.exited).code).toBe(2);
      expect(wide.stderr()).toMatch(/wide\.yaml:4:\d+: model\.layers\.1\.beta: must be a number in \[-100, 100\], got 500/);
      // The schema printed with the plugin has the layer's declared option; without it, it has not.
      const schemaOf = async (args: string[]) => {
        const p = spawnGradspec(["schema", ...args], {}, { built: true });
        expect((await p.exited).code).toBe(0);
        return JSON.stringify(JSON.parse(p.stdout()).definitions.layer);
      };
      expect(await schemaOf(plugin)).toContain("Starting value of the trainable β. Default 1.");
      expect(await schemaOf([])).not.toContain("swish");
      const missing = spawnGradspec(["validate", spec, "--plugin", "./no-such-plugin.ts"], {}, { built: true });
      expect((await missing.exited).code).toBe(2);
      expect(missing.stderr()).toMatch(/^--plugin \.\/no-such-plugin\.ts: cannot import it \(/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
