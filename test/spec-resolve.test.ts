import { describe, expect, it } from "vitest";
// Registers the example plugin layer "swish": unknown layer types are refused at validation.
import "../examples/custom-layer/swish.js";
import fc from "fast-check";
import {
  applyOverrides, deriveTrainSpec, loadSpecFile, loadSpecText, modelLayers, toYaml, validateSpec, SpecError,
  type ResolvedSpec,
} from "../packages/runner/src/spec/index.js";

const load = (yaml: string, overrides: string[] = []): ResolvedSpec => loadSpecText(yaml, "specs/example.yaml", overrides).spec;

describe("defaults", () => {
  it("fills every default of a minimal train spec", () => {
    expect(load("experiment: train\ndata: {source: cifar10}\n")).toEqual({
      name: "example",
      experiment: "train",
      data: {
        source: "cifar10",
        format: "auto",
        train: ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5"],
        validation: 1000,
        test: ["test_batch"],
        limit: {},
        preprocess: "standardize",
      },
      model: {
        input: 3072,
        output: 10,
        init: { type: "he" },
        hidden: [],
        batchNorm: { enabled: false, momentum: 0.9, eps: 1e-5 },
        activation: "relu",
      },
      training: {
        optimizer: { type: "sgd", momentum: 0.9, variant: "report" },
        learningRate: 0.01,
        schedule: { type: "constant" },
        lambda: 0,
        batchSize: 100,
        epochs: 10,
        seed: 0,
        shuffle: true,
        divergence: { costRatio: 1e6 },
      },
    });
  });

  it("takes input and output sizes from mnist and synthetic data", () => {
    const mnist = load("experiment: train\ndata: {source: mnist}\n");
    expect(mnist.data).toEqual({ source: "mnist", mnist: { trainFraction: 0.8 }, validation: 1000, limit: {}, preprocess: "standardize" });
    expect([mnist.model.input, mnist.model.output]).toEqual([784, 10]);
    const synthetic = load("experiment: train\ndata: {source: synthetic, synthetic: {dim: 5, classes: 4}}\n");
    expect(synthetic.data).toEqual({
      source: "synthetic",
      synthetic: { classes: 4, dim: 5, train: 300, validation: 60, test: 60, spread: 3, seed: 0 },
      limit: {},
      preprocess: "standardize",
    });
    expect([synthetic.model.input, synthetic.model.output]).toEqual([5, 4]);
  });

  it("expands the short forms into their object forms", () => {
    const spec = load(`experiment: train
data: {source: synthetic}
model: {hidden: [8], batchNorm: true, init: {normal: 0.001}}
training: {optimizer: nesterov, schedule: constant}
`);
    expect(spec.model).toMatchObject({ batchNorm: { enabled: true, momentum: 0.9, eps: 1e-5 }, init: { type: "normal", std: 0.001 } });
    expect(spec.training.optimizer).toEqual({ type: "sgd", momentum: 0.9, variant: "nesterov" });
    expect(spec.training.schedule).toEqual({ type: "constant" });
    expect(load("experiment: train\ndata: {source: synthetic}\ntraining: {optimizer: sgd}\n").training.optimizer).toEqual({ type: "sgd", momentum: 0, variant: "report" });
    expect(load("experiment: train\ndata: {source: synthetic}\nmodel: {batchNorm: {momentum: 0.5}}\n").model).toMatchObject({ batchNorm: { enabled: true, momentum: 0.5, eps: 1e-5 } });
  });

  it("fills the options of known layers and keeps unknown layers as written", () => {
    const spec = load(`experiment: train
data: {source: synthetic}
model:
  init: xavier
  layers:
    - {type: linear, units: 50}
    - {type: batchnorm, momentum: 0.8}
    - {type: leakyRelu}
    - {type: linear, units: 20, init: {normal: 0.01}}
    - {type: swish, beta: 1.5}
`);
    expect(spec.model.layers).toEqual([
      { type: "linear", units: 50, init: { type: "xavier" } },
      { type: "batchnorm", momentum: 0.8, eps: 1e-5 },
      { type: "leakyRelu", slope: 0.01 },
      { type: "linear", units: 20, init: { type: "normal", std: 0.01 } },
      { type: "swish", beta: 1.5 },
    ]);
    expect(spec.model.hidden).toBeUndefined();
    expect(modelLayers(spec.model).at(-1)).toEqual({ type: "linear", units: 3, init: { type: "xavier" } });
  });

  it("expands the hidden form into explicit layers", () => {
    const spec = load("experiment: train\ndata: {source: cifar10}\nmodel: {hidden: [50, 30], batchNorm: true}\n");
    expect(modelLayers(spec.model).map((l) => l.type)).toEqual(["linear", "batchnorm", "relu", "linear", "batchnorm", "relu", "linear"]);
    expect(modelLayers(spec.model).filter((l) => l.type === "linear").map((l) => (l as { units: number }).units)).toEqual([50, 30, 10]);
  });

  it("fills gradcheck and sweep sections", () => {
    const gc = load("experiment: gradcheck\ndata: {source: synthetic}\ngradcheck: {}\n");
    expect(gc.experiment === "gradcheck" && gc.gradcheck).toEqual({ batch: 100, lambdas: [0], h: 1e-5, eps: 1e-5, mode: "all", directions: 20 });
    const sweep = load(`experiment: sweep
data: {source: synthetic}
training: {epochs: 4}
sweep:
  trials: 20
  metric: validation.loss
  parameters:
    training.learningRate: {logUniform: [1e-3, 0.8]}
    training.lambda: {values: [0, 1e-4]}
  stages:
    - {name: coarse}
    - {epochs: 9, refine: {top: 5}, parameters: {training.lambda: {values: [0]}}}
  final: {}
`);
    expect(sweep.experiment === "sweep" && sweep.sweep).toEqual({
      method: "random",
      seed: 0,
      metric: "validation.loss",
      goal: "minimize",
      parameters: { "training.learningRate": { logUniform: [1e-3, 0.8] }, "training.lambda": { values: [0, 1e-4] } },
      stages: [
        { name: "coarse", trials: 20, epochs: 4, parameters: { "training.learningRate": { logUniform: [1e-3, 0.8] }, "training.lambda": { values: [0, 1e-4] } } },
        { name: "stage2", trials: 20, epochs: 9, refine: { top: 5, expand: 0.25 }, parameters: { "training.lambda": { values: [0] } } },
      ],
      top: 3,
      final: { top: 3, set: {} },
    });
  });

  it("uses the name written in the spec, else the file's base name", () => {
    expect(load("name: mine\nexperiment: train\ndata: {source: mnist}\n").name).toBe("mine");
    expect(loadSpecText("experiment: train\ndata: {source: mnist}\n", "/a/b/report-s4.yml").spec.name).toBe("report-s4");
  });
});

describe("expressions", () => {
  it("evaluates strings wherever the schema expects a number", () => {
    const spec = load(`experiment: sweep
data: {source: synthetic, limit: {train: "2^6"}}
model: {hidden: ["5*10", 30], batchNorm: {eps: "1/2^20"}}
training: {learningRate: "10^-1.7", lambda: "2e-3*5", batchSize: "1000/10", schedule: {type: exponential, decay: "1 - 1/100"}}
sweep:
  trials: "3*10"
  parameters:
    training.learningRate: {logUniform: ["10^-3", "sqrt(0.64)"]}
    model.hidden: {values: [["2*25"], [100]]}
  final: {set: {training.epochs: "4*5"}}
`);
    expect(spec.data.limit).toEqual({ train: 64 });
    expect(spec.model).toMatchObject({ hidden: [50, 30], batchNorm: { eps: 2 ** -20 } });
    expect(spec.training).toMatchObject({ learningRate: 10 ** -1.7, lambda: 0.01, batchSize: 100, schedule: { type: "exponential", decay: 0.99 } });
    if (spec.experiment !== "sweep") throw new Error("sweep expected");
    expect(spec.sweep.stages[0]!.trials).toBe(30);
    expect(spec.sweep.parameters).toEqual({ "training.learningRate": { logUniform: [0.001, 0.8] }, "model.hidden": { values: [[50], [100]] } });
    expect(spec.sweep.final?.set).toEqual({ "training.epochs": 20 });
  });

  it("evaluates compare values as if written at their key path", () => {
    const spec = load(`experiment: compare
data: {source: synthetic}
compare:
  variants:
    - {name: small, set: {training.learningRate: "10^-3", model.hidden: ["2*8"], model.activation: "tanh"}}
`);
    expect(spec.experiment === "compare" && spec.compare.variants[0]!.set).toEqual({ "training.learningRate": 0.001, "model.hidden": [16], "model.activation": "tanh" });
  });

  it("accepts YAML anchors, aliases and merge keys", () => {
    const merged = load(`experiment: train
data: {source: synthetic}
training:
  <<: {epochs: 2, lambda: 0.1}
  lambda: 0.2
`);
    expect(merged.training).toMatchObject({ epochs: 2, lambda: 0.2 });
    const aliased = load(`experiment: compare
data: {source: synthetic}
model: {hidden: &sizes [20, 10]}
compare:
  variants:
    - {name: same, set: {model.hidden: *sizes}}
`);
    expect(aliased.experiment === "compare" && aliased.compare.variants[0]!.set).toEqual({ "model.hidden": [20, 10] });
  });

  it("leaves strings alone where the schema expects a string", () => {
    const spec = load('name: "2*3"\ndescription: "1/2"\nexperiment: train\ndata: {source: cifar10, dir: "10^2"}\n');
    expect([spec.name, spec.description, spec.data.source === "cifar10" && spec.data.dir]).toEqual(["2*3", "1/2", "10^2"]);
  });

  it("refuses assignments, functions definitions, units and imports", () => {
    const base = "experiment: train\ndata: {source: synthetic}\ntraining:\n  learningRate: ";
    const cases: [string, string][] = [
      ["a = 3", "assignment is not allowed"],
      ["f(x) = x", "functionassignment is not allowed"],
      ["import(1)", "function import is not allowed"],
      ["evaluate(\\\"1\\\")", "function evaluate is not allowed"],
      ["[1, 2]", "array is not allowed"],
      ["sqrt(-1)", "gives complex i, not a real number"],
    ];
    for (const [expression, reason] of cases) {
      const message = (() => {
        try {
          load(`${base}"${expression}"\n`);
          return "";
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(message).toContain(`does not evaluate to a number: ${reason}`);
    }
  });
});

describe("--set overrides", () => {
  const base = `experiment: train
data: {source: synthetic}
model:
  layers:
    - {type: linear, units: 50}
    - {type: relu}
training: {epochs: 10, optimizer: nesterov}
`;

  it("applies YAML values, expressions and list indices before validation", () => {
    const spec = load(base, [
      "training.epochs=2",
      "model.layers.0.units=20",
      "model.layers.2={type: tanh}",
      "data.limit.train=100",
      "training.learningRate=10^-2",
      "training.optimizer.momentum=0.5",
    ]);
    expect(spec.training).toMatchObject({ epochs: 2, learningRate: 0.01, optimizer: { type: "sgd", momentum: 0.5, variant: "nesterov" } });
    expect(spec.model.layers).toEqual([{ type: "linear", units: 20, init: { type: "he" } }, { type: "relu" }, { type: "tanh" }]);
    expect(spec.data.limit).toEqual({ train: 100 });
  });

  it("replaces whole values and expands short forms when a key inside them is set", () => {
    const hidden = load("experiment: train\ndata: {source: synthetic}\nmodel: {hidden: [5], batchNorm: true}\n", [
      "model.hidden=[20,10]",
      "model.hidden.1=15",
      "model.batchNorm.momentum=0.8",
    ]);
    expect(hidden.model).toMatchObject({ hidden: [20, 15], batchNorm: { enabled: true, momentum: 0.8 } });
  });

  it("later overrides win and the result is validated as a whole", () => {
    expect(load(base, ["training.epochs=1", "training.epochs=3"]).training.epochs).toBe(3);
    expect(() => load(base, ["model.hidden=[3]"])).toThrow("--set:1:14: model.hidden: cannot be used together with model.layers");
  });
});

describe("applyOverrides, validateSpec and deriveTrainSpec", () => {
  const loaded = loadSpecFile("test/fixtures/specs/good-report-s4.yaml");

  it("loads a spec file and keeps its text and raw form", () => {
    expect(loaded.source).toContain("name: report-s4-eta-0.03");
    expect(loaded.raw["training"]).toEqual({ optimizer: { momentum: 0.8 }, learningRate: 0.03, batchSize: 100, epochs: 10 });
  });

  it("derives one training run per compare variant", () => {
    if (loaded.spec.experiment !== "compare") throw new Error("compare expected");
    const runs = loaded.spec.compare.variants.map((v) => deriveTrainSpec(loaded.raw, v.set, `variant ${v.name}`));
    expect(runs.map((r) => [r.experiment, r.model.hidden, r.model.batchNorm?.enabled])).toEqual([
      ["train", [50], true],
      ["train", [50], false],
    ]);
    expect(runs[0]).not.toHaveProperty("compare");
    expect(deriveTrainSpec(loaded.spec, { "training.learningRate": "10^-3" }, "trial").training.learningRate).toBeCloseTo(0.001, 15);
  });

  it("applyOverrides copies, and re-validation reports with the label", () => {
    const raw = loaded.raw;
    const changed = applyOverrides(raw, { "training.epochs": 0 });
    expect((raw["training"] as { epochs: number }).epochs).toBe(10);
    expect(() => validateSpec(changed, "trial 7")).toThrow(new SpecError([{ file: "trial 7", line: 0, col: 0, path: "training.epochs", message: "must be an integer in [1, 100000], got 0" }]).message);
    expect(() => applyOverrides(raw, { "training.epoch": 1 }, "trial 7")).toThrow("trial 7: training.epoch: unknown key in training.epoch (did you mean epochs?)");
  });
});

describe("toYaml", () => {
  it("writes a header and a spec that loads back to the same object", () => {
    const spec = loadSpecFile("test/fixtures/specs/good-report-s4.yaml").spec;
    const text = toYaml(spec);
    expect(text.startsWith("# Resolved gradspec spec")).toBe(true);
    expect(loadSpecText(text, "spec.resolved.yaml").spec).toEqual(spec);
  });

  it("round-trips any training settings (property)", () => {
    const settings = fc.record({
      learningRate: fc.double({ min: 1e-6, max: 10, noNaN: true }),
      lambda: fc.double({ min: 0, max: 1, noNaN: true }),
      momentum: fc.double({ min: 0, max: 0.999, noNaN: true }),
      batchSize: fc.integer({ min: 1, max: 1000 }),
      hidden: fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 4 }),
      batchNorm: fc.boolean(),
      decay: fc.option(fc.double({ min: 1e-3, max: 1, noNaN: true }), { nil: undefined }),
    });
    fc.assert(
      fc.property(settings, (s) => {
        const spec = validateSpec(
          {
            experiment: "train",
            data: { source: "synthetic" },
            model: { hidden: s.hidden, batchNorm: s.batchNorm },
            training: {
              learningRate: s.learningRate,
              lambda: s.lambda,
              batchSize: s.batchSize,
              optimizer: { momentum: s.momentum },
              ...(s.decay !== undefined ? { schedule: { type: "exponential", decay: s.decay } } : {}),
            },
          },
          "prop.yaml",
        );
        expect(loadSpecText(toYaml(spec), "prop.yaml").spec).toEqual(spec);
      }),
      { numRuns: 50 },
    );
  });
});
