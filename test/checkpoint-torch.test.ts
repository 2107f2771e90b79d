import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { Tensor } from "@gradspec/autograd";
import { isRegisteredLayer, loadCheckpoint, type Sequential } from "@gradspec/nn";
import { fillBatch, loadCifar10Bin, main } from "@gradspec/runner";
import { capture } from "./helpers/capture.js";

/**
 * docs/checkpoints.md's PyTorch snippet, run as the page shows it, against gradspec's own eval:
 * same accuracy, logits within 1e-10.
 */

const repoRoot = resolve(import.meta.dirname, "..");
const doc = readFileSync(join(repoRoot, "docs", "checkpoints.md"), "utf8");
const snippet = /<!-- snippet: torch-eval -->\n```python\n([\s\S]*?)```/.exec(doc)?.[1];

function findPython(): { python?: string; tried: string[] } {
  const candidates = [process.env.GRADSPEC_PYTHON, "/usr/bin/python3", "python3"].filter((c): c is string => c !== undefined && c !== "");
  for (const python of candidates) {
    const probe = spawnSync(python, ["-c", "import numpy, torch"], { encoding: "utf8" });
    if (probe.status === 0) return { python, tried: candidates };
  }
  return { tried: candidates };
}

const { python, tried } = findPython();
if (python === undefined) console.log(`checkpoint-torch: skipped, none of ${tried.join(", ")} imports numpy and torch (set GRADSPEC_PYTHON to one that does)`);

/** A small CIFAR-10-format folder (official binary records) whose classes differ in their channels' brightness. */
function fakeCifar(dir: string): string {
  mkdirSync(dir, { recursive: true });
  let seed = 12345;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 16;
  };
  const batch = (count: number): Uint8Array => {
    const bytes = new Uint8Array(count * 3073);
    for (let i = 0; i < count; i++) {
      const label = i % 10;
      bytes[i * 3073] = label;
      for (let j = 0; j < 3072; j++) {
        const channel = Math.floor(j / 1024);
        const base = 40 + 18 * ((label + 3 * channel) % 10);
        bytes[i * 3073 + 1 + j] = Math.min(255, base + (next() % 60));
      }
    }
    return bytes;
  };
  writeFileSync(join(dir, "data_batch_1.bin"), batch(400));
  writeFileSync(join(dir, "test_batch.bin"), batch(200));
  return dir;
}

async function gradspec(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

function gradspecLogits(model: Sequential, checkpointData: ReturnType<typeof loadCheckpoint>["data"], batchFile: string): Float64Array {
  const dataset = loadCifar10Bin(batchFile);
  const x = Tensor.zeros([dataset.count, dataset.dim]);
  const standardizer = { mean: checkpointData["mean"].data as Float64Array, std: checkpointData["std"].data as Float64Array };
  fillBatch(dataset, Int32Array.from({ length: dataset.count }, (_, i) => i), standardizer, x.data);
  return Float64Array.from(model.forward(x, { training: false }).data);
}

const dir = mkdtempSync(join(tmpdir(), "gradspec-torch-"));
const realCifar = process.env.GRADSPEC_DATA ?? resolve(repoRoot, "../shared/cifar-10-jpeg");
const realPresent = existsSync(join(realCifar, "data_batch_1.bin")) && existsSync(join(realCifar, "test_batch.bin"));
if (python !== undefined && !realPresent) console.log(`checkpoint-torch: the real CIFAR-10 case skipped, no batches in ${realCifar} (set GRADSPEC_DATA to run it)`);

const MODELS = {
  "hidden layers with batch norm": "model: { hidden: [16, 12], batchNorm: true }",
  "an explicit layer list": "model:\n  layers: [{ type: linear, units: 14 }, { type: batchnorm, eps: 0.001 }, { type: leakyRelu, slope: 0.1 }, { type: linear, units: 9 }, { type: tanh }]",
  "a layer list with dropout": "model:\n  layers: [{ type: linear, units: 14 }, { type: dropout, rate: 0.3 }, { type: sigmoid }]",
};
const dropout = isRegisteredLayer("dropout");
if (python !== undefined && !dropout) console.log("checkpoint-torch: the dropout case skipped, no dropout layer is registered");

describe.skipIf(python === undefined)("docs/checkpoints.md's PyTorch snippet", () => {
  it("is on the page", () => {
    expect(snippet).toContain("def build_network");
  });

  const cases: [string, string, string, boolean][] = [
    ["generated CIFAR-10-format batches", "hidden layers with batch norm", "fake", true],
    ["generated CIFAR-10-format batches", "an explicit layer list", "fake", true],
    ["generated CIFAR-10-format batches", "a layer list with dropout", "fake", dropout],
    ["the real CIFAR-10", "hidden layers with batch norm", "real", realPresent],
  ];
  for (const [data, model, kind, present] of cases) {
    it.skipIf(!present)(`gets gradspec eval's accuracy and logits on ${data}, ${model}`, async () => {
      const folder = kind === "fake" ? fakeCifar(join(dir, "cifar")) : realCifar;
      const name = `${kind}-${model.replace(/\W+/g, "-")}`;
      const limit = kind === "fake" ? "" : ", limit: { train: 2000 }";
      const specFile = join(dir, `${name}.yaml`);
      writeFileSync(specFile, `experiment: train\ndata: { source: cifar10, train: [data_batch_1], validation: 0${limit} }\n${MODELS[model as keyof typeof MODELS]}\ntraining: { learningRate: 0.01, batchSize: 50, epochs: 2, seed: 5 }\n`);
      const out = join(dir, name);
      const run = await gradspec(["run", specFile, "--out", out, "--quiet", "--set", `data.dir=${folder}`]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const checkpoint = join(out, "checkpoint.safetensors");
      const evaluated = await gradspec(["eval", checkpoint, "--data", folder, "--split", "test_batch", "--json"]);
      expect(evaluated.code).toBe(0);
      const accuracy = (JSON.parse(evaluated.stdout) as { accuracy: number }).accuracy;

      const script = join(dir, `${name}.py`);
      const logitsFile = join(dir, `${name}.logits`);
      writeFileSync(script, `${snippet}\nnp.ascontiguousarray(logits, dtype="<f8").tofile(sys.argv[3])\n`);
      const batch = join(folder, "test_batch.bin");
      const py = spawnSync(python as string, [script, checkpoint, batch, logitsFile], { encoding: "utf8" });
      expect(py.stderr).toBe("");
      expect(py.status).toBe(0);
      expect(py.stdout).toMatch(/^accuracy \d\.\d{4} on \d+ images of 10 classes\n$/);
      expect(py.stdout).toContain(`accuracy ${accuracy.toFixed(4)} `);

      const torchBytes = readFileSync(logitsFile);
      const torchLogits = new Float64Array(torchBytes.buffer, torchBytes.byteOffset, torchBytes.byteLength / 8);
      const loaded = loadCheckpoint(checkpoint);
      const ours = gradspecLogits(loaded.model, loaded.data, batch);
      expect(torchLogits.length).toBe(ours.length);
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - torchLogits[i]));
      expect(worst).toBeLessThanOrEqual(1e-10);
      // The same argmax, so exactly the same accuracy.
      const classes = loaded.model.outputDim;
      const labels = loadCifar10Bin(batch).labels;
      let correct = 0;
      for (let r = 0; r < labels.length; r++) {
        let best = 0;
        for (let j = 1; j < classes; j++) if (torchLogits[r * classes + j] > torchLogits[r * classes + best]) best = j;
        if (best === labels[r]) correct++;
      }
      expect(correct / labels.length).toBe(accuracy);
    }, 120_000);
  }
});
