import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors, loadCheckpoint, type TensorInput } from "@gradspec/nn";
import type { RunSummary } from "@gradspec/runner";
import { runCommand, specWriter } from "./helpers/capture.js";
import { spawnGradspec } from "./helpers/gradspec-process.js";
import { SYNTHETIC_SECTIONS } from "./helpers/synthetic-spec.js";

const dir = mkdtempSync(join(tmpdir(), "gradspec-eval-"));

const spec = specWriter(dir);

const run = runCommand;

interface EvalJson {
  split: string;
  samples: number;
  accuracy: number;
  loss: number;
  classes: string[];
  confusion: number[][];
}

async function evalJson(args: string[]): Promise<EvalJson> {
  const result = await run(["eval", ...args, "--json"]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as EvalJson;
}

function summaryOf(out: string): RunSummary {
  return JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
}

/** The checkpoint's bytes again with some metadata replaced (to make old or damaged files). */
function rewritten(file: string, target: string, change: (metadata: Record<string, string>) => Record<string, string>): string {
  const decoded = decodeSafetensors(readFileSync(file));
  const tensors: Record<string, TensorInput> = {};
  for (const name of decoded.names) tensors[name] = decoded.tensors[name];
  writeFileSync(target, encodeSafetensors(tensors, change(decoded.metadata)));
  return target;
}

const trainOut = join(dir, "train");
const checkpoint = join(trainOut, "checkpoint.safetensors");

describe("complete checkpoints and gradspec eval on synthetic data", () => {
  it("a train run's checkpoint stores the standardization, class names, data section and layouts", async () => {
    const result = await run(["run", spec("train", `experiment: train\n${SYNTHETIC_SECTIONS}`), "--out", trainOut, "--quiet"]);
    expect(result.code).toBe(0);
    const decoded = decodeSafetensors(readFileSync(checkpoint));
    expect(decoded.tensors["preprocess.mean"].shape).toEqual([6]);
    expect(decoded.tensors["preprocess.std"].dtype).toBe("F64");
    expect((decoded.tensors["preprocess.std"].data as Float64Array).every((s) => s > 0)).toBe(true);
    expect(decoded.metadata["gradspec.format"]).toBe("gradspec-checkpoint/2");
    expect(JSON.parse(decoded.metadata["gradspec.classes"])).toEqual(["blob0", "blob1", "blob2"]);
    const preprocessing = JSON.parse(decoded.metadata["gradspec.preprocessing"]) as { standardize: string; input: { source: string; shape: number[] } };
    expect(preprocessing.standardize).toBe("feature");
    expect(preprocessing.input).toMatchObject({ source: "synthetic", shape: [6] });
    const parameters = JSON.parse(decoded.metadata["gradspec.parameters"]) as Record<string, { layer: number; type: string; shape: number[]; layout: string }>;
    expect(parameters.W1).toMatchObject({ layer: 0, type: "linear", shape: [6, 8] });
    expect(parameters.W1.layout).toContain("y = x·W + b");
    expect(parameters.runningVar1).toMatchObject({ layer: 1, type: "batchnorm", shape: [8] });
    expect(parameters.runningVar1.layout).toContain("eps = 0.00001");
    expect(parameters.W2).toMatchObject({ layer: 3, type: "linear", shape: [8, 3] });
  });

  it("eval gives the run's own test accuracy, loss and confusion matrix", async () => {
    const test = summaryOf(trainOut).train?.final.test;
    const result = await evalJson([checkpoint]);
    expect(result.samples).toBe(30);
    expect(result.accuracy).toBe(test?.accuracy);
    expect(result.loss).toBe(test?.loss);
    expect(result.confusion).toEqual(test?.confusion);
    const validation = await evalJson([checkpoint, "--split", "validation"]);
    expect(validation.accuracy).toBe(summaryOf(trainOut).train?.final.validation?.accuracy);
  });

  it("prints the metrics and the confusion matrix with class names", async () => {
    const result = await run(["eval", checkpoint, "--split", "train"]);
    expect(result.code).toBe(0);
    const accuracy = summaryOf(trainOut).train?.final.train?.accuracy ?? Number.NaN;
    expect(result.stdout).toContain(`train: synthetic:train, 150 samples: accuracy ${(100 * accuracy).toFixed(2)} %`);
    expect(result.stdout).toMatch(/\n\s+blob0 blob1 blob2\nblob0\s+\d+\s+\d+\s+\d+\n/);
  });

  it("is listed by gradspec --help", async () => {
    const help = spawnGradspec(["--", "--help"]); // "--": the option is gradspec's, not node's
    expect((await help.exited).code).toBe(0);
    expect(help.stdout()).toMatch(/eval <checkpoint>\s+Accuracy, loss and confusion matrix/);
  });

  it("refuses, in one line naming the file and the fix, what it cannot evaluate", async () => {
    const cases: [string[], number, RegExp][] = [
      [[join(dir, "absent.safetensors")], 2, /absent\.safetensors: no such file; give the checkpoint\.safetensors of a run folder/],
      [[spec("garbage", "not a checkpoint at all")], 2, /garbage\.yaml: header length \d+ exceeds/],
      [[rewritten(checkpoint, join(dir, "old.safetensors"), ({ "gradspec.preprocessing": _p, ...m }) => ({ ...m, "gradspec.format": "gradspec-checkpoint/1" }))], 2,
        /old\.safetensors: holds no preprocessing \(gradspec-checkpoint\/1, .*\); run its spec again/],
      [[rewritten(checkpoint, join(dir, "newer.safetensors"), (m) => ({ ...m, "gradspec.format": "gradspec-checkpoint/9" }))], 2, /newer\.safetensors: format gradspec-checkpoint\/9 is newer/],
      [[checkpoint, "--data", dir], 2, /trained on synthetic data, which gradspec makes itself; drop --data/],
      [[checkpoint, "--split", "data_batch_1"], 2, /--split "data_batch_1": synthetic data have the splits test, train and validation/],
      [[rewritten(checkpoint, join(dir, "other-shape.safetensors"), (m) => ({ ...m, "gradspec.data": m["gradspec.data"].replace('"dim":6', '"dim":5') }))], 1,
        /synthetic:test: has 5 features per sample, but the network of .*other-shape\.safetensors takes 6/],
    ];
    for (const [args, code, message] of cases) {
      const result = await run(["eval", ...args]);
      expect(result.code, args[0]).toBe(code);
      expect(result.stderr.trimEnd().split("\n"), args[0]).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("an old (gradspec-checkpoint/1) checkpoint still loads", () => {
    const old = rewritten(checkpoint, join(dir, "v1.safetensors"), ({ "gradspec.preprocessing": _p, "gradspec.parameters": _l, ...m }) => ({ ...m, "gradspec.format": "gradspec-checkpoint/1" }));
    const { model, metadata } = loadCheckpoint(old);
    expect(metadata["gradspec.format"]).toBe("gradspec-checkpoint/1");
    expect(model.params.get("W1")?.data).toEqual(loadCheckpoint(checkpoint).model.params.get("W1")?.data);
  });

  it("compare variants and sweep finals each get their own checkpoint", async () => {
    const compareOut = join(dir, "compare");
    const compareText = `experiment: compare\n${SYNTHETIC_SECTIONS}compare:\n  variants:\n    - { name: BN, set: { model.batchNorm: true } }\n    - { name: "no BN", set: { model.batchNorm: false } }\n`;
    expect((await run(["run", spec("compare", compareText), "--out", compareOut, "--quiet"])).code).toBe(0);
    const variants = summaryOf(compareOut).compare?.variants ?? [];
    for (const [i, folder] of ["1-BN", "2-no-BN"].entries()) {
      const file = join(compareOut, "variants", folder, "checkpoint.safetensors");
      expect((await evalJson([file])).accuracy, folder).toBe(variants[i].final.test?.accuracy);
    }
    const sweepOut = join(dir, "sweep");
    const sweepText = `experiment: sweep\n${SYNTHETIC_SECTIONS}sweep:\n  trials: 2\n  parallel: 2\n  parameters:\n    training.learningRate: {logUniform: [0.01, 0.1]}\n  final: {top: 1}\n`;
    expect((await run(["run", spec("sweep", sweepText), "--out", sweepOut, "--quiet"])).code).toBe(0);
    const final = summaryOf(sweepOut).sweep?.final?.[0];
    const file = join(sweepOut, "finals", "final-1", "checkpoint.safetensors");
    expect((await evalJson([file])).accuracy).toBe(final?.final.test?.accuracy);
    expect(existsSync(join(sweepOut, "states")), "the final's checkpoint left states/").toBe(false);
  });
});

describe("gradspec eval on MNIST", () => {
  it("matches the run's test accuracy, with the digits as class names", async () => {
    const out = join(dir, "mnist");
    const text = `experiment: train\ndata: { source: mnist, validation: 0, limit: { train: 600, test: 300 } }\nmodel: { hidden: [12], batchNorm: true }\ntraining: { learningRate: 0.05, batchSize: 50, epochs: 1, seed: 2 }\n`;
    expect((await run(["run", spec("mnist", text), "--out", out, "--quiet"])).code).toBe(0);
    const result = await evalJson([join(out, "checkpoint.safetensors")]);
    expect(result.samples).toBe(300);
    expect(result.classes).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(result.accuracy).toBe(summaryOf(out).train?.final.test?.accuracy);
  });
});

const repoRoot = resolve(import.meta.dirname, "..");
const cifar = process.env.GRADSPEC_DATA ?? resolve(repoRoot, "../shared/cifar-10-jpeg");
const cifarPresent = existsSync(join(cifar, "data_batch_1.bin")) && existsSync(join(cifar, "test_batch.bin"));
if (!cifarPresent) console.log(`checkpoint-eval: CIFAR-10 part skipped, no data_batch_1.bin and test_batch.bin in ${cifar} (set GRADSPEC_DATA to run it)`);

describe.skipIf(!cifarPresent)("gradspec eval on CIFAR-10", () => {
  it("matches the run's test accuracy and evaluates any batch by name", async () => {
    const out = join(dir, "cifar");
    const text = `experiment: train\ndata: { source: cifar10, train: [data_batch_1], validation: 0, limit: { train: 1000, test: 500 } }\nmodel: { hidden: [16], batchNorm: true }\ntraining: { learningRate: 0.02, batchSize: 100, epochs: 1, seed: 3 }\n`;
    expect((await run(["run", spec("cifar", text), "--out", out, "--quiet", "--set", `data.dir=${cifar}`])).code).toBe(0);
    const file = join(out, "checkpoint.safetensors");
    const test = await evalJson([file, "--data", cifar]);
    expect(test.samples).toBe(500);
    expect(test.classes).toContain("airplane");
    expect(test.accuracy).toBe(summaryOf(out).train?.final.test?.accuracy);
    const batch = await evalJson([file, "--data", cifar, "--split", "data_batch_5"]);
    expect(batch.samples).toBe(10000);
    expect(batch.confusion.flat().reduce((a, b) => a + b, 0)).toBe(10000);
    const saved = process.env.GRADSPEC_DATA;
    delete process.env.GRADSPEC_DATA;
    try {
      const noFolder = await run(["eval", file]);
      expect(noFolder.code).toBe(1);
      expect(noFolder.stderr).toBe(`${file}: trained on CIFAR-10; give --data FOLDER (the one holding test_batch.bin) or set GRADSPEC_DATA\n`);
    } finally {
      if (saved !== undefined) process.env.GRADSPEC_DATA = saved;
    }
    const missing = await run(["eval", file, "--data", join(dir, "nowhere")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nowhere.*not found|nowhere: /);
  });
});
