import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { train } from "@gradspec/nn";
import { main, type RunSummary } from "@gradspec/runner";
import { augmentImage, drawFor, type ImageShape } from "../packages/runner/src/data/augment.js";
import { AugmentedRows, trainingAugmentation } from "../packages/runner/src/data/augmented-rows.js";
import { fillBatch } from "../packages/runner/src/data/batch.js";
import type { Dataset } from "../packages/runner/src/data/dataset.js";
import { datasetSource, loadSpecData } from "../packages/runner/src/data/from-spec.js";
import { buildModel } from "../packages/runner/src/model.js";
import { formatIssue, loadSpecText, SpecError } from "../packages/runner/src/spec/index.js";
import type { TrainSpec } from "../packages/runner/src/spec/types.js";
import { capture } from "./helpers/capture.js";

// 2 channels of 3 × 4: channel c, row y, column x holds 100·c + 10·y + x + 1 (never 0, so padding shows).
const SHAPE: ImageShape = { channels: 2, height: 3, width: 4 };
const IMAGE = Uint8Array.from({ length: 24 }, (_, i) => 100 * Math.floor(i / 12) + 10 * Math.floor((i % 12) / 4) + (i % 4) + 1);

/** The augmented image as [channel][row][column], written between sentinel bytes that must survive. */
function augmented(flip: boolean, padding: number, dy: number, dx: number): number[][][] {
  const out = new Uint8Array(24 + 6).fill(255);
  augmentImage(IMAGE, 0, out, 3, SHAPE, padding, { flip, dy, dx });
  expect([...out.subarray(0, 3), ...out.subarray(27)]).toEqual([255, 255, 255, 255, 255, 255]);
  const body = [...out.subarray(3, 27)];
  return [0, 1].map((c) => [0, 1, 2].map((y) => body.slice(c * 12 + y * 4, c * 12 + y * 4 + 4)));
}

describe("augmentImage: flips and zero-padded crops, exactly", () => {
  it("with no flip and the centred window, copies the image", () => {
    expect(augmented(false, 0, 0, 0).flat(2)).toEqual([...IMAGE]);
    expect(augmented(false, 2, 2, 2).flat(2)).toEqual([...IMAGE]);
  });

  it("a flip mirrors every row of every channel", () => {
    expect(augmented(true, 0, 0, 0)).toEqual([
      [[4, 3, 2, 1], [14, 13, 12, 11], [24, 23, 22, 21]],
      [[104, 103, 102, 101], [114, 113, 112, 111], [124, 123, 122, 121]],
    ]);
  });

  it("a crop at the padded image's top-left corner shifts the image down and right, zeros entering", () => {
    expect(augmented(false, 1, 0, 0)).toEqual([
      [[0, 0, 0, 0], [0, 1, 2, 3], [0, 11, 12, 13]],
      [[0, 0, 0, 0], [0, 101, 102, 103], [0, 111, 112, 113]],
    ]);
  });

  it("a crop at the bottom-right corner shifts it up and left; a window beyond the image is all zeros", () => {
    expect(augmented(false, 1, 2, 2)[0]).toEqual([[12, 13, 14, 0], [22, 23, 24, 0], [0, 0, 0, 0]]);
    expect(augmented(false, 4, 0, 8).flat(2).every((v) => v === 0)).toBe(true);
    // Padding wider than the image: windows wholly outside it, on either side, flipped or not, stay inside the image's bytes.
    for (const flip of [false, true]) for (const [dy, dx] of [[0, 0], [12, 12], [6, 0], [6, 12]]) expect(augmented(flip, 6, dy, dx).flat(2).every((v) => v === 0), `${flip} ${dy} ${dx}`).toBe(true);
  });

  it("flip and crop together: the crop's window, mirrored", () => {
    // out(y, x) = padded(y + dy, (width − 1 − x) + dx) with padding 1, dy 1, dx 0.
    expect(augmented(true, 1, 1, 0)[1]).toEqual([[103, 102, 101, 0], [113, 112, 111, 0], [123, 122, 121, 0]]);
  });
});

describe("drawFor: each image's draw from (seed, epoch, batch, row)", () => {
  const draws = (seed: number, epoch: number, padding: number, flip = true): string[] =>
    Array.from({ length: 400 }, (_, row) => {
      const d = { flip: false, dy: -1, dx: -1 };
      drawFor(d, { flip, padding }, seed, epoch, 3, row);
      return `${d.flip ? "f" : "-"}${d.dy},${d.dx}`;
    });

  it("the same key gives the same draw, another epoch or seed others", () => {
    expect(draws(1, 2, 4)).toEqual(draws(1, 2, 4));
    expect(draws(1, 3, 4)).not.toEqual(draws(1, 2, 4));
    expect(draws(2, 2, 4)).not.toEqual(draws(1, 2, 4));
  });

  it("flips about half the images and puts the window everywhere in 0 … 2·padding", () => {
    const all = draws(7, 1, 2);
    const flips = all.filter((d) => d.startsWith("f")).length;
    expect(flips).toBeGreaterThan(150);
    expect(flips).toBeLessThan(250);
    const offsets = new Set(all.map((d) => d.slice(1)));
    expect(offsets.size).toBe(25);
    expect(draws(7, 1, 0).every((d) => d.endsWith("0,0"))).toBe(true);
    expect(draws(7, 1, 2, false).some((d) => d.startsWith("f"))).toBe(false);
  });
});

/** The textbook way: build the zero-padded image, cut the window, mirror it. */
function reference(image: Uint8Array, shape: ImageShape, padding: number, draw: { flip: boolean; dy: number; dx: number }): number[] {
  const { channels, height, width } = shape;
  const ph = height + 2 * padding;
  const pw = width + 2 * padding;
  const padded = new Array<number>(channels * ph * pw).fill(0);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) padded[(c * ph + y + padding) * pw + x + padding] = image[(c * height + y) * width + x];
  }
  const out: number[] = [];
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      const row = Array.from({ length: width }, (_, x) => padded[(c * ph + y + draw.dy) * pw + x + draw.dx]);
      out.push(...(draw.flip ? row.reverse() : row));
    }
  }
  return out;
}

describe("AugmentedRows on CIFAR-10-shaped images", () => {
  it("row r of a training batch is image indices[r] with row r's draw, as the textbook builds it", () => {
    const shape: ImageShape = { channels: 3, height: 32, width: 32 };
    const count = 20;
    const features = Uint8Array.from({ length: count * 3072 }, (_, i) => (i * 7919 + (i >> 5) * 31) % 251);
    const dataset: Dataset = { name: "fake", features, labels: new Uint8Array(count), count, dim: 3072, classes: 10 };
    const rows = new AugmentedRows({ flip: true, padding: 4 }, shape, 9);
    const indices = Int32Array.from([3, 17, 0, 3, 11, 19, 8, 5]);
    const identity = { mean: new Float64Array(3072), std: new Float64Array(3072).fill(1) };
    const out = new Float64Array(indices.length * 3072);
    rows.fill(dataset, indices, identity, out, { epoch: 4, batch: 2 });
    const seen = new Set<string>();
    for (let r = 0; r < indices.length; r++) {
      const draw = { flip: false, dy: 0, dx: 0 };
      drawFor(draw, { flip: true, padding: 4 }, 9, 4, 2, r);
      seen.add(JSON.stringify(draw));
      const image = features.subarray(indices[r] * 3072, (indices[r] + 1) * 3072);
      expect([...out.subarray(r * 3072, (r + 1) * 3072)], `row ${r}`).toEqual(reference(image, shape, 4, draw));
    }
    expect(seen.size).toBeGreaterThan(4);
  });
});

const mnistSpec = (augment: string, epochs = 2): TrainSpec => {
  const text = `experiment: train\ndata: { source: mnist, validation: 100, limit: { train: 300, test: 200 }${augment} }\nmodel: { hidden: [10], batchNorm: true }\ntraining: { learningRate: 0.05, batchSize: 50, epochs: ${epochs}, seed: 3 }\n`;
  return loadSpecText(text, "augment.yaml").spec as TrainSpec;
};

describe("augmented training batches", () => {
  const spec = mnistSpec(", augment: { flip: true, crop: { padding: 3 } }");
  const data = loadSpecData(spec.data, process.cwd());
  const rows = trainingAugmentation(spec.data, spec.training.seed) as AugmentedRows;
  const indices = Int32Array.from({ length: 50 }, (_, i) => 2 * i);
  const batch = (at?: { epoch: number; batch: number }, augment: AugmentedRows | undefined = rows): Float64Array => {
    const out = new Float64Array(50 * 784);
    datasetSource(data.train, data.standardizer, augment).fill(indices, out, new Int32Array(50), at);
    return out;
  };
  const plain = (dataset: Dataset = data.train): Float64Array => {
    const out = new Float64Array(50 * 784);
    fillBatch(dataset, indices, data.standardizer, out);
    return out;
  };

  it("are the same for the same seed, epoch and batch, and differ for another", () => {
    expect(rows).toBeInstanceOf(AugmentedRows);
    const a = batch({ epoch: 2, batch: 5 });
    expect(batch({ epoch: 2, batch: 5 })).toEqual(a);
    expect(batch({ epoch: 2, batch: 5 }, trainingAugmentation(spec.data, spec.training.seed))).toEqual(a);
    expect(batch({ epoch: 2, batch: 6 })).not.toEqual(a);
    expect(batch({ epoch: 2, batch: 5 }, trainingAugmentation(spec.data, 4))).not.toEqual(a);
    expect(a).not.toEqual(plain());
  });

  it("leave evaluation alone: a fill without a batch position is the plain batch", () => {
    expect(batch(undefined)).toEqual(plain());
  });

  it("are nothing without augment, and for flip false without a crop", () => {
    expect(trainingAugmentation(mnistSpec("").data, 1)).toBeUndefined();
    expect(trainingAugmentation(mnistSpec(", augment: { flip: false }").data, 1)).toBeUndefined();
  });

  it("a run stopped after epoch 1 and resumed sees the same augmentations as one that did not stop", () => {
    const t = spec.training;
    const options = { epochs: 2, batchSize: t.batchSize, learningRate: t.learningRate, seed: t.seed, evaluateTrain: false };
    const source = (): { train: ReturnType<typeof datasetSource> } => ({ train: datasetSource(data.train, data.standardizer, trainingAugmentation(spec.data, t.seed)) });
    const whole = buildModel(spec.model, t.seed);
    train(whole, source(), options);
    const resumed = buildModel(spec.model, t.seed);
    const first = train(resumed, source(), { ...options, until: 1 });
    train(resumed, source(), { ...options, ...(first.state === undefined ? {} : { resume: first.state }) });
    expect(first.state?.epoch).toBe(1);
    for (const [name, p] of whole.params) expect(resumed.params.get(name)?.data, name).toEqual(p.data);
    const unaugmented = buildModel(spec.model, t.seed);
    train(unaugmented, { train: datasetSource(data.train, data.standardizer) }, options);
    expect(unaugmented.params.get("W1")?.data).not.toEqual(whole.params.get("W1")?.data);
  });
});

const cifar = process.env.GRADSPEC_DATA ?? resolve(import.meta.dirname, "..", "../shared/cifar-10-jpeg");
const cifarPresent = existsSync(join(cifar, "data_batch_1.bin")) && existsSync(join(cifar, "test_batch.bin"));
if (!cifarPresent) console.log(`data-augment: the CIFAR-10 run skipped, no data_batch_1.bin and test_batch.bin in ${cifar} (set GRADSPEC_DATA to run it)`);

describe("data.augment in specs and runs", () => {
  it("is refused for synthetic data with file:line:col, and range-checked", () => {
    const messages = (yaml: string): string[] => {
      try {
        loadSpecText(yaml, "bad.yaml");
        return [];
      } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        return error.issues.map(formatIssue);
      }
    };
    expect(messages("experiment: train\ndata:\n  source: synthetic\n  augment: { flip: true }\n")).toEqual([
      "bad.yaml:4:3: data.augment: only for source cifar10 or mnist (source is synthetic); augmentation flips and crops images, and synthetic samples are not images",
    ]);
    expect(messages("experiment: train\ndata:\n  source: cifar10\n  augment: { crop: { padding: 0 } }\n")[0]).toMatch(/^bad\.yaml:4:\d+: data\.augment\.crop\.padding: .*1/);
    expect(messages("experiment: train\ndata:\n  source: cifar10\n  augment: { flip: true, crop: { padding: 4 } }\n")).toEqual([]);
  });

  const runs: [string, string, string[], boolean][] = [
    ["MNIST", "source: mnist, validation: 100, limit: { train: 300, test: 200 }, augment: { flip: true, crop: { padding: 2 } }", [], true],
    ["CIFAR-10", "source: cifar10, train: [data_batch_1], validation: 200, limit: { train: 800, test: 300 }, augment: { flip: true, crop: { padding: 4 } }", [`data.dir=${cifar}`], cifarPresent],
  ];
  for (const [name, data, set, present] of runs) {
    it.skipIf(!present)(`a run with augmentation on ${name} is deterministic, and its test split is not augmented`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "gradspec-augment-"));
      const file = join(dir, "augment.yaml");
      writeFileSync(file, `experiment: train\ndata: { ${data} }\nmodel: { hidden: [10], batchNorm: true }\ntraining: { learningRate: 0.05, batchSize: 50, epochs: 2, seed: 3 }\n`);
      const summaries: RunSummary[] = [];
      for (const out of ["a", "b"]) {
        const io = capture();
        expect(await main(["run", file, "--out", join(dir, out), "--quiet", ...set.flatMap((kv) => ["--set", kv])], io), io.stderr()).toBe(0);
        summaries.push(JSON.parse(readFileSync(join(dir, out, "summary.json"), "utf8")) as RunSummary);
      }
      const strip = (s: RunSummary): unknown => s.train?.history.map(({ seconds: _s, ...row }) => row);
      expect(strip(summaries[1])).toEqual(strip(summaries[0]));
      expect(readFileSync(join(dir, "a", "checkpoint.safetensors"))).toEqual(readFileSync(join(dir, "b", "checkpoint.safetensors")));
      expect(readFileSync(join(dir, "a", "spec.resolved.yaml"), "utf8")).toMatch(/augment:\s*\n\s*flip: true\s*\n\s*crop:\s*\n\s*padding: \d/);
      // gradspec eval never augments: it finds the run's own validation and test accuracy.
      for (const split of ["validation", "test"] as const) {
        const io = capture();
        expect(await main(["eval", join(dir, "a", "checkpoint.safetensors"), "--split", split, "--json", ...(name === "CIFAR-10" ? ["--data", cifar] : [])], io), io.stderr()).toBe(0);
        expect((JSON.parse(io.stdout()) as { accuracy: number }).accuracy, split).toBe(summaries[0].train?.final[split]?.accuracy);
      }
    });
  }
});
