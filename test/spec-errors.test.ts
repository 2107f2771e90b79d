import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatIssue, loadSpecFile, loadSpecText, SpecError } from "../packages/runner/src/spec/index.js";

/** The one-line messages a load produces (or [] if it loads). */
function messagesOf(load: () => unknown): string[] {
  try {
    load();
    return [];
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    expect(error.message).toBe(error.issues.map(formatIssue).join("\n"));
    return error.message.split("\n");
  }
}

interface BadSpec {
  name: string;
  yaml: string;
  set?: string[];
  expected: string[];
}

const TRAIN = "experiment: train\ndata: {source: synthetic}\n";

const BAD: BadSpec[] = [
  {
    name: "unknown key with did-you-mean",
    yaml: `${TRAIN}training:\n  epoch: 3\n`,
    expected: ["bad.yaml:4:3: training.epoch: unknown key (did you mean epochs?)"],
  },
  {
    name: "key that belongs elsewhere",
    yaml: `${TRAIN}training:\n  momentum: 0.9\n`,
    expected: ["bad.yaml:4:3: training.momentum: unknown key here (did you mean training.optimizer.momentum?)"],
  },
  {
    name: "unknown top-level key",
    yaml: `${TRAIN}trainig: {epochs: 3}\n`,
    expected: ["bad.yaml:3:1: trainig: unknown key (did you mean training?)"],
  },
  {
    name: "wrong type",
    yaml: `${TRAIN}model:\n  hidden: 50\n`,
    expected: ["bad.yaml:4:11: model.hidden: must be a list, got 50"],
  },
  {
    name: "wrong type in a union",
    yaml: `${TRAIN}model: {batchNorm: 5}\n`,
    expected: ["bad.yaml:3:20: model.batchNorm: must be true or false or a mapping, got 5"],
  },
  {
    name: "out of range",
    yaml: `${TRAIN}training:\n  optimizer: {momentum: 1}\n`,
    expected: ["bad.yaml:4:25: training.optimizer.momentum: must be a number in [0, 1), got 1"],
  },
  {
    name: "not an integer",
    yaml: `${TRAIN}training: {batchSize: 2.5}\n`,
    expected: ["bad.yaml:3:23: training.batchSize: must be an integer in [1, 1000000], got 2.5"],
  },
  {
    name: "bad enum with did-you-mean",
    yaml: "experiment: train\ndata:\n  source: cifar\n",
    expected: ['bad.yaml:3:11: data.source: must be one of mnist, cifar10, synthetic; got "cifar" (did you mean cifar10?)'],
  },
  {
    name: "bad enum inside a list item",
    yaml: `${TRAIN}training:\n  optimizer: {variant: pytorh}\n`,
    expected: ['bad.yaml:4:24: training.optimizer.variant: must be one of report, pytorch, nesterov; got "pytorh" (did you mean pytorch?)'],
  },
  {
    name: "expression that does not parse",
    yaml: `${TRAIN}training:\n  learningRate: "10^^2"\n`,
    expected: ['bad.yaml:4:17: training.learningRate: expression "10^^2" does not evaluate to a number: Value expected (char 4)'],
  },
  {
    name: "expression with an unknown symbol",
    yaml: `${TRAIN}training:\n  lambda: "2 cm"\n`,
    expected: ['bad.yaml:4:11: training.lambda: expression "2 cm" does not evaluate to a number: unknown symbol cm'],
  },
  {
    name: "expression that is not finite",
    yaml: `${TRAIN}training:\n  epochs: "1/0"\n`,
    expected: ['bad.yaml:4:11: training.epochs: expression "1/0" does not evaluate to a number: gives Infinity, not a finite number'],
  },
  {
    name: "expression out of range",
    yaml: `${TRAIN}training:\n  learningRate: "-10^-2"\n`,
    expected: ['bad.yaml:4:17: training.learningRate: must be a number > 0, got -0.01 (from "-10^-2")'],
  },
  {
    name: "expression that is not an integer",
    yaml: `${TRAIN}training:\n  batchSize: "1/3"\n`,
    expected: ['bad.yaml:4:14: training.batchSize: must be an integer in [1, 1000000], got 0.3333333333333333 (from "1/3")'],
  },
  {
    name: "missing required key",
    yaml: "experiment: train\ndata:\n  dir: /x\n",
    expected: ["bad.yaml:2:1: data.source: missing (required)"],
  },
  {
    name: "missing section for the experiment",
    yaml: "experiment: sweep\ndata: {source: synthetic}\n",
    expected: ["bad.yaml:1:13: sweep: missing (required when experiment is sweep)"],
  },
  {
    name: "section for another experiment",
    yaml: `${TRAIN}gradcheck: {batch: 10}\n`,
    expected: ["bad.yaml:3:1: gradcheck: only allowed when experiment is gradcheck (experiment is train)"],
  },
  {
    name: "layers together with hidden",
    yaml: `${TRAIN}model:\n  hidden: [50]\n  layers:\n    - {type: linear, units: 50}\n`,
    expected: ["bad.yaml:4:3: model.hidden: cannot be used together with model.layers (list every layer there instead)"],
  },
  {
    name: "strict options of a known layer type",
    yaml: `${TRAIN}model:\n  layers:\n    - {type: linear, unit: 50}\n`,
    expected: [
      "bad.yaml:5:7: model.layers.0.units: missing (required)",
      "bad.yaml:5:22: model.layers.0.unit: unknown key (did you mean units?)",
    ],
  },
  {
    name: "data.dir for mnist",
    yaml: "experiment: train\ndata:\n  source: mnist\n  dir: /data\n",
    expected: ["bad.yaml:4:3: data.dir: only for source cifar10 (source is mnist)"],
  },
  {
    name: "validation batch that is also a training batch",
    yaml: "experiment: train\ndata:\n  source: cifar10\n  train: [data_batch_1, data_batch_2]\n  validation: [data_batch_2]\n",
    expected: ["bad.yaml:5:16: data.validation.0: data_batch_2 is also a training batch"],
  },
  {
    name: "model size that contradicts the data",
    yaml: "experiment: train\ndata: {source: cifar10}\nmodel: {input: 3000}\n",
    expected: ["bad.yaml:3:16: model.input: must equal the data's dimension 3072 (cifar10), got 3000"],
  },
  {
    name: "cyclic schedule with min ≥ max",
    yaml: `${TRAIN}training:\n  schedule: {type: cyclic, min: 0.1, max: 0.01, stepSize: 500}\n`,
    expected: ["bad.yaml:4:43: training.schedule.max: must be greater than min (0.1), got 0.01"],
  },
  {
    name: "swept learning rate under a cyclic schedule",
    yaml:
      "experiment: sweep\ndata: {source: synthetic}\ntraining:\n  schedule: {type: cyclic, min: 0.001, max: 0.1, stepSize: 50}\n" +
      "sweep:\n  trials: 4\n  parameters:\n    training.learningRate: {logUniform: [0.001, 0.1]}\n",
    expected: [
      "bad.yaml:8:5: sweep.parameters.training.learningRate: has no effect: a cyclic schedule takes its rates from training.schedule.min and training.schedule.max; sweep training.schedule.max (and training.schedule.min) instead",
    ],
  },
  {
    name: "swept batch-norm momentum with batch norm off, and a variant's optimizer variant at momentum 0",
    yaml:
      "experiment: compare\ndata: {source: synthetic}\nmodel: {hidden: [4]}\ntraining: {optimizer: sgd}\ncompare:\n  variants:\n" +
      "    - {name: a, set: {training.optimizer.variant: nesterov}}\n    - {name: b, set: {model.batchNorm.momentum: 0.5}}\n" +
      "    - {name: c, set: {model.batchNorm: true, model.batchNorm.momentum: 0.5, training.optimizer.momentum: 0.9, training.optimizer.variant: nesterov}}\n",
    expected: [
      "bad.yaml:7:23: compare.variants.0.set.training.optimizer.variant: has no effect: with momentum 0 every variant is the same plain SGD step; set training.optimizer.momentum instead",
      "bad.yaml:8:23: compare.variants.1.set.model.batchNorm.momentum: has no effect: batch norm is off (model.batchNorm is false); set model.batchNorm instead",
    ],
  },
  {
    name: "upper bounds where a limit is obviously right",
    yaml: `${TRAIN}model: {hidden: [1e9]}\ntraining: {epochs: 1e12}\n`,
    expected: ["bad.yaml:3:18: model.hidden.0: must be an integer in [1, 1000000], got 1000000000", "bad.yaml:4:20: training.epochs: must be an integer in [1, 100000], got 1000000000000"],
  },
  {
    name: "layer and activation names that no layer registers, and an option out of the layer's range",
    yaml: `${TRAIN}model:\n  layers:\n    - {type: linear, units: 4}\n    - {type: Relu}\n    - {type: leakyRelu, slope: 1.5}\n`,
    expected: [
      'bad.yaml:6:14: model.layers.1.type: unknown layer type "Relu" (did you mean relu?); registered: batchnorm, dropout, leakyRelu, linear, relu, sigmoid, tanh (a plugin layer needs --plugin)',
      "bad.yaml:7:32: model.layers.2.slope: must be a number in [0, 1), got 1.5",
    ],
  },
  {
    name: "an activation that is not a layer type",
    yaml: `${TRAIN}model: {hidden: [4], activation: rleu}\n`,
    expected: ['bad.yaml:3:34: model.activation: unknown layer type "rleu" (did you mean relu?); registered: batchnorm, dropout, leakyRelu, linear, relu, sigmoid, tanh (a plugin layer needs --plugin)'],
  },
  {
    name: "a declared layer option out of its range",
    yaml: `${TRAIN}model: {layers: [{type: linear, units: 4}, {type: dropout, rate: 1.5}]}\n`,
    expected: ["bad.yaml:3:66: model.layers.1.rate: must be a number in [0, 1), got 1.5"],
  },
  {
    name: "an unknown optimizer, by name and by type",
    yaml: `${TRAIN}training: {optimizer: adm}\n`,
    expected: ['bad.yaml:3:23: training.optimizer: must be one of adam, adamw, sgd, momentum, nesterov; got "adm" (did you mean adam?)'],
  },
  {
    name: "an unknown optimizer type, and an option its type does not have",
    yaml: `${TRAIN}training:\n  optimizer: {type: adamw, beta3: 0.9}\n  schedule: {type: cyclc}\n`,
    expected: [
      "bad.yaml:4:28: training.optimizer.beta3: unknown key (did you mean beta1?)",
      'bad.yaml:5:20: training.schedule.type: must be one of constant, cyclic, exponential, step; got "cyclc" (did you mean cyclic?)',
    ],
  },
  {
    name: "early stopping without validation data, or in a sweep",
    yaml: `experiment: train\ndata: {source: synthetic, synthetic: {validation: 0}}\ntraining:\n  earlyStopping: {patience: 2}\n`,
    expected: ["bad.yaml:4:3: training.earlyStopping: watches the validation split, and this spec has none (set data.validation)"],
  },
  {
    name: "early stopping in a sweep",
    yaml: `experiment: sweep\ndata: {source: synthetic}\ntraining: {earlyStopping: {metric: validation.accuracy}}\nsweep: {trials: 2, parameters: {training.learningRate: {values: [0.1]}}}\n`,
    expected: ["bad.yaml:3:12: training.earlyStopping: is for train and compare runs; a sweep stops its trials by sweep.earlyTerminate"],
  },
  {
    name: "an option of another type of the component",
    yaml: `${TRAIN}training: {optimizer: {type: adam, momentum: 0.5}}\nmodel: {init: {type: he, std: 1}}\n`,
    expected: [
      "bad.yaml:3:36: training.optimizer.momentum: unknown key for this type; allowed: type, beta1, beta2, eps, weightDecay",
      "bad.yaml:4:26: model.init.std: unknown key for this type; allowed: type",
    ],
  },
  {
    name: "schedule missing its options",
    yaml: `${TRAIN}training:\n  schedule: {type: step, every: 5}\n`,
    expected: ["bad.yaml:4:3: training.schedule.factor: missing (required)"],
  },
  {
    name: "compare key path that does not exist",
    yaml: `${TRAIN.replace("train", "compare")}compare:\n  variants:\n    - {name: A, set: {model.batchNorn: true}}\n`,
    expected: ["bad.yaml:5:23: compare.variants.0.set.model.batchNorn: unknown key (did you mean batchNorm?)"],
  },
  {
    name: "compare value that is invalid where it lands",
    yaml: `${TRAIN.replace("train", "compare")}compare:\n  variants:\n    - {name: A, set: {model.hidden: [20, 0]}}\n`,
    expected: ["bad.yaml:5:42: compare.variants.0.set.model.hidden.1: must be an integer in [1, 1000000], got 0"],
  },
  {
    name: "sweep key path that does not exist",
    yaml: `${TRAIN.replace("train", "sweep")}sweep:\n  trials: 10\n  parameters:\n    training.lamda: {logUniform: [1e-6, 1e-3]}\n`,
    expected: ["bad.yaml:6:5: sweep.parameters.training.lamda: unknown key (did you mean lambda?)"],
  },
  {
    name: "logUniform bounds",
    yaml: `${TRAIN.replace("train", "sweep")}sweep:\n  trials: 10\n  parameters:\n    training.learningRate: {logUniform: [0, 0.8]}\n    training.lambda: {logUniform: [1e-3, 1e-6]}\n`,
    expected: [
      "bad.yaml:6:42: sweep.parameters.training.learningRate.logUniform.0: must be a number > 0, got 0",
      "bad.yaml:7:42: sweep.parameters.training.lambda.logUniform.1: must be > the low bound 0.001, got 0.000001",
    ],
  },
  {
    name: "sweep bound outside the target's range",
    yaml: `${TRAIN.replace("train", "sweep")}sweep:\n  trials: 10\n  parameters:\n    training.optimizer.momentum: {uniform: [0.5, 1.5]}\n`,
    expected: ["bad.yaml:6:50: sweep.parameters.training.optimizer.momentum.uniform.1: must be a number in [0, 1), got 1.5"],
  },
  {
    name: "refine on the first stage",
    yaml: `${TRAIN.replace("train", "sweep")}sweep:\n  parameters:\n    training.learningRate: {logUniform: [1e-3, 0.8]}\n  stages:\n    - {trials: 20, refine: {top: 5}}\n`,
    expected: ["bad.yaml:7:20: sweep.stages.0.refine: not allowed on the first stage (there is no previous stage to refine from)"],
  },
  {
    name: "early termination: an option of another rule, rungs out of order, no type",
    yaml: `${TRAIN.replace("train", "sweep")}sweep:\n  trials: 9\n  parameters:\n    training.learningRate: {logUniform: [1e-3, 0.8]}\n  earlyTerminate: {type: successiveHalving, minTrials: 3, rungs: [3, 2]}\n  stages:\n    - {epochs: 9}\n    - {epochs: 9, earlyTerminate: {rungs: [2]}}\n`,
    expected: [
      "bad.yaml:7:45: sweep.earlyTerminate.minTrials: not an option of successiveHalving (it takes minEpochs, reductionFactor, rungs)",
      "bad.yaml:7:70: sweep.earlyTerminate.rungs.1: must be after the rung before it (3), got 2",
    ],
  },
  {
    name: "early termination on a metric measured only at the end",
    yaml: `${TRAIN.replace("train", "sweep")}sweep:\n  trials: 9\n  metric: test.accuracy\n  parameters:\n    training.learningRate: {logUniform: [1e-3, 0.8]}\n  earlyTerminate: {type: median}\n`,
    expected: ["bad.yaml:5:11: sweep.metric: test.accuracy is measured only after the last epoch, so median cannot compare trials while they train; rank by a validation metric"],
  },
  {
    name: "successive halving that leaves fewer trials than the final retraining needs",
    yaml: `${TRAIN.replace("train", "sweep")}sweep:\n  trials: 9\n  parameters:\n    training.learningRate: {logUniform: [1e-3, 0.8]}\n  earlyTerminate: {type: successiveHalving}\n  stages:\n    - {epochs: 9}\n  final: {top: 3}\n`,
    expected: [
      "bad.yaml:7:26: sweep.earlyTerminate.type: successive halving leaves 1 of stage stage1's 9 trials to finish (rungs 1, 3, reductionFactor 3), but sweep.final.top is 3; use fewer rungs, a smaller reductionFactor or more trials",
    ],
  },
  {
    name: "a stage's early termination without a rule anywhere",
    yaml: `${TRAIN.replace("train", "sweep")}sweep:\n  trials: 9\n  parameters:\n    training.learningRate: {logUniform: [1e-3, 0.8]}\n  stages:\n    - {epochs: 9, earlyTerminate: {minEpochs: 2}}\n`,
    expected: ["bad.yaml:8:19: sweep.stages.0.earlyTerminate.type: missing: successiveHalving, asha, median or none"],
  },
  {
    name: "prototype keys in the spec are unknown keys where they are written (not a prototype, not silently dropped)",
    yaml: `${TRAIN}training: {__proto__: {epochs: abc}}\nmodel:\n  __proto__: {hidden: [4]}\n`,
    expected: [
      "bad.yaml:3:12: training.__proto__: unknown key (__proto__ is never a key of a spec)",
      "bad.yaml:5:3: model.__proto__: unknown key (__proto__ is never a key of a spec)",
    ],
  },
  {
    name: "prototype keys in a compare set, a layer's options and sweep parameters",
    yaml: `experiment: sweep\ndata: {source: synthetic}\nmodel: {layers: [{type: linear, units: 4, __proto__: {x: 1}}]}\nsweep:\n  trials: 2\n  parameters:\n    __proto__: {values: [1]}\n`,
    expected: [
      "bad.yaml:3:43: model.layers.0.__proto__: unknown key (__proto__ is never a key of a spec)",
      "bad.yaml:7:5: sweep.parameters.__proto__: unknown key (__proto__ is never a key of a spec)",
    ],
  },
  {
    name: "a prototype key inside a sweep parameter's key path",
    yaml: `${TRAIN.replace("train", "sweep")}sweep:\n  trials: 2\n  parameters:\n    training.__proto__.epochs: {values: [1]}\n`,
    expected: ["bad.yaml:6:5: sweep.parameters.training.__proto__.epochs: at training.__proto__: unknown key; allowed: optimizer, learningRate, schedule, lambda, batchSize, epochs, seed, shuffle, divergence, earlyStopping"],
  },
  {
    name: "prototype keys on the command line",
    yaml: TRAIN,
    set: ["__proto__.x=1", "training={__proto__: {epochs: 2}}"],
    expected: [
      "--set:1:1: __proto__: unknown key; allowed: $schema, name, description, experiment, data, model, training, gradcheck, compare, sweep in --set __proto__.x=1",
      "--set:2:10: training.__proto__: unknown key (__proto__ is never a key of a spec) (--set training={__proto__: {epochs: 2}})",
    ],
  },
  {
    name: "grid sweep over a range",
    yaml: `${TRAIN.replace("train", "sweep")}sweep:\n  method: grid\n  parameters:\n    training.learningRate: {logUniform: [1e-3, 0.8]}\n`,
    expected: ["bad.yaml:6:29: sweep.parameters.training.learningRate.logUniform: grid sweeps take values (every combination is tried)"],
  },
  {
    name: "real-valued distribution for an integer",
    yaml: `${TRAIN.replace("train", "sweep")}sweep:\n  trials: 5\n  parameters:\n    training.batchSize: {uniform: [50, 200]}\n`,
    expected: ["bad.yaml:6:26: sweep.parameters.training.batchSize.uniform: training.batchSize takes integers: use intUniform or values"],
  },
  {
    name: "repeated list item",
    yaml: "experiment: train\ndata:\n  source: cifar10\n  train: [data_batch_1, data_batch_1]\n",
    expected: ["bad.yaml:4:25: data.train.1: repeats item 0"],
  },
  {
    name: "name that cannot be a folder",
    yaml: `name: a/b\n${TRAIN}`,
    expected: ['bad.yaml:1:7: name: must not contain / or \\, got "a/b"'],
  },
  {
    name: "--set with an unknown path",
    yaml: TRAIN,
    set: ["training.epochs=2", "training.learningrate=0.1"],
    expected: ["--set:2:10: training.learningrate: unknown key in --set training.learningrate=0.1 (did you mean learningRate?)"],
  },
  {
    name: "--set with a value out of range",
    yaml: TRAIN,
    set: ["training.batchSize=0"],
    expected: ["--set:1:20: training.batchSize: must be an integer in [1, 1000000], got 0 (--set training.batchSize=0)"],
  },
  {
    name: "--set past the end of a list",
    yaml: `${TRAIN}model: {hidden: [50]}\n`,
    set: ["model.hidden.2=20"],
    expected: ["--set:1:14: model.hidden.2: index 2 is past the end of the list (1 items) in --set model.hidden.2=20"],
  },
  {
    name: "--set without =",
    yaml: TRAIN,
    set: ["training.epochs"],
    expected: ["--set:1:1: training.epochs: expected key.path=value in --set training.epochs"],
  },
  {
    name: "YAML: tab indentation",
    yaml: "experiment: train\ndata:\n\tsource: mnist\n",
    expected: ["bad.yaml:3:1: (yaml): Tabs are not allowed as indentation"],
  },
  {
    name: "YAML: duplicate key",
    yaml: "experiment: train\ndata:\n  source: mnist\n  source: cifar10\n",
    expected: ["bad.yaml:4:3: data.source: Map keys must be unique"],
  },
  {
    name: "YAML: bad indentation",
    yaml: "experiment: train\ndata:\n  source: mnist\n dir: /data\n",
    expected: ["bad.yaml:4:1: data: All mapping items must start at the same column"],
  },
  {
    name: "empty file",
    yaml: "# nothing yet\n",
    expected: ["bad.yaml:1:1: (spec): the spec is empty"],
  },
];

describe("bad specs: one exact line per problem", () => {
  it.each(BAD)("$name", ({ yaml, set, expected }) => {
    expect(messagesOf(() => loadSpecText(yaml, "bad.yaml", set ?? []))).toEqual(expected);
  });
});

describe("bad spec files", () => {
  const fixture = (name: string): string => `test/fixtures/specs/${name}`;

  it("reports YAML syntax errors with YAML's positions", () => {
    expect(messagesOf(() => loadSpecFile(fixture("bad-tab.yaml")))).toEqual([`${fixture("bad-tab.yaml")}:3:1: (yaml): Tabs are not allowed as indentation`]);
    expect(messagesOf(() => loadSpecFile(fixture("bad-duplicate-key.yaml")))).toEqual([`${fixture("bad-duplicate-key.yaml")}:5:3: data.source: Map keys must be unique`]);
    expect(messagesOf(() => loadSpecFile(fixture("bad-indent.yaml")))).toEqual([`${fixture("bad-indent.yaml")}:4:1: data: All mapping items must start at the same column`]);
  });

  it("reports every problem of a file, in file order, then those of --set", () => {
    const file = fixture("bad-many.yaml");
    expect(messagesOf(() => loadSpecFile(file, { overrides: ["training.seed=-1"] }))).toEqual([
      `${file}:4:11: data.source: must be one of mnist, cifar10, synthetic; got "cifar" (did you mean cifar10?)`,
      `${file}:5:3: data.validaton: unknown key (did you mean validation?)`,
      `${file}:7:16: model.hidden.1: must be an integer in [1, 1000000], got 0`,
      `${file}:9:17: training.learningRate: must be a number > 0, got -0.01 (from "-10^-2")`,
      `${file}:10:3: training.momentum: unknown key here (did you mean training.optimizer.momentum?)`,
      `${file}:11:11: training.epochs: expression "1/0" does not evaluate to a number: gives Infinity, not a finite number`,
      "--set:1:15: training.seed: must be an integer in [0, 4294967295], got -1 (--set training.seed=-1)",
    ]);
  });

  it("reports a missing file as a SpecError, not a stack trace", () => {
    expect(messagesOf(() => loadSpecFile(fixture("no-such-spec.yaml")))).toEqual([`${fixture("no-such-spec.yaml")}: (spec): no such file`]);
  });

  it("a folder, a named pipe or a huge file as the spec is one line, without reading it", () => {
    const dir = mkdtempSync(join(tmpdir(), "gradspec-spec-files-"));
    try {
      expect(messagesOf(() => loadSpecFile(dir))).toEqual([`${dir}: (spec): is a folder, not a spec file; give the .yaml file to run`]);
      const fifo = join(dir, "pipe.yaml");
      execFileSync("mkfifo", [fifo]);
      expect(messagesOf(() => loadSpecFile(fifo))).toEqual([`${fifo}: (spec): is not a regular file (a pipe or device); save the spec to a file`]);
      const huge = join(dir, "huge.yaml");
      writeFileSync(huge, `experiment: train\n#${"x".repeat(2 << 20)}\n`);
      expect(messagesOf(() => loadSpecFile(huge))).toEqual([`${huge}: (spec): is ${(2 << 20) + 20} bytes; a spec is at most ${1 << 20}`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("sizes the parser and the expression evaluator accept", () => {
  it("an expression of thousands of terms is refused at its place, not a stack overflow", () => {
    const terms = Array.from({ length: 5000 }, () => "1e-5").join("+");
    expect(messagesOf(() => loadSpecText(`${TRAIN}training:\n  learningRate: "${terms}"\n`, "bad.yaml"))).toEqual([
      `bad.yaml:4:17: training.learningRate: expression "${terms.slice(0, 40)}…" does not evaluate to a number: ${terms.length} characters long; an expression is at most 200`,
    ]);
  });

  it("a mapping nested thousands deep (flow or block) is refused at the level that is too deep", () => {
    const flow = `${TRAIN}model: ${"{a: ".repeat(10_000)}1${"}".repeat(10_000)}\n`;
    expect(messagesOf(() => loadSpecText(flow, "bad.yaml"))).toEqual([expect.stringMatching(/^bad\.yaml:3:\d+: \(yaml\): nested more than 32 levels deep; a spec needs a few$/)]);
    let block = `${TRAIN}model:\n`;
    for (let i = 1; i <= 40; i++) block += `${"  ".repeat(i)}a:\n`;
    block += `${"  ".repeat(41)}b: 1\n`;
    expect(messagesOf(() => loadSpecText(block, "bad.yaml"))).toEqual(["bad.yaml:35:65: (yaml): nested more than 32 levels deep; a spec needs a few"]);
  });

  it("tags that are not plain JSON (!!binary, !!set, !!timestamp) are refused at their place, in the file and in --set", () => {
    expect(messagesOf(() => loadSpecText(`${TRAIN}training:\n  epochs: !!binary aGVsbG8=\n`, "bad.yaml"))).toEqual([
      "bad.yaml:4:20: training.epochs: !!binary values are not allowed in a spec (only mappings, lists, strings, numbers, booleans and null)",
    ]);
    expect(messagesOf(() => loadSpecText(`${TRAIN}model:\n  hidden: !!set {4: null}\n`, "bad.yaml"))).toEqual([
      "bad.yaml:4:17: model.hidden: !!set values are not allowed in a spec (only mappings, lists, strings, numbers, booleans and null)",
    ]);
    expect(messagesOf(() => loadSpecText(TRAIN, "ok.yaml", ["training.epochs=!!binary aGVsbG8="]))).toEqual([
      "--set:1:26: training.epochs: !!binary values are not allowed in a spec (only mappings, lists, strings, numbers, booleans and null) in --set training.epochs=!!binary aGVsbG8=",
    ]);
  });

  it("an alias in --set with no anchor is a bad value at its column, exit 2", () => {
    expect(messagesOf(() => loadSpecText(TRAIN, "ok.yaml", ["training.epochs=*a"]))).toEqual([
      "--set:1:17: training.epochs: value is not valid YAML (Unresolved alias (the anchor must be set before the alias): a) in --set training.epochs=*a",
    ]);
  });
});
