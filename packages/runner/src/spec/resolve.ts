import { COMPONENT_OPTION, initializers, layers, optimizers, schedules, type ComponentConfig } from "@gradspec/nn";
import { dataShape, DEFAULTS } from "./defaults.js";
import type { DataInput, EarlyTerminateInput, GradcheckInput, LayerInput, ModelInput, SpecInput, SweepInput, TrainingInput } from "./input-types.js";
import { deepClone } from "./json.js";
import { expandShorthand, normalizeInit } from "./shorthand.js";
import type {
  AugmentSpec, BatchNormSpec, DataSpec, Distribution, GradcheckSection, InitSpec, LayerSpec, ModelSpec, OptimizerSpec, ResolvedSpec,
  EarlyTerminate, ScheduleSpec, SweepSection, SweepStage, TrainingSpec,
} from "./types.js";

/** Fills every default of a spec that passed validation. */
export function resolveSpec(input: SpecInput, defaultName: string): ResolvedSpec {
  const common = {
    name: input.name ?? defaultName,
    ...(input.description !== undefined ? { description: input.description } : {}),
    experiment: input.experiment,
    data: resolveData(input.data),
    model: resolveModel(input.model ?? {}, input.data),
    training: resolveTraining(input.training ?? {}),
  };
  switch (input.experiment) {
    case "train":
      return { ...common, experiment: "train" };
    case "gradcheck":
      return { ...common, experiment: "gradcheck", gradcheck: resolveGradcheck(input.gradcheck ?? {}) };
    case "compare":
      return { ...common, experiment: "compare", compare: deepClone(input.compare ?? { variants: [] }) };
    case "sweep":
      return { ...common, experiment: "sweep", sweep: resolveSweep(input.sweep!, common.training.epochs) };
  }
}

function resolveData(data: DataInput): DataSpec {
  const d = DEFAULTS.data;
  const common = { limit: { ...data.limit }, preprocess: data.preprocess ?? d.preprocess, ...resolveAugment(data.augment) };
  if (data.source === "cifar10") {
    return {
      source: "cifar10",
      ...(data.dir !== undefined ? { dir: data.dir } : {}),
      format: data.format ?? d.format,
      train: [...(data.train ?? d.train)],
      validation: Array.isArray(data.validation) ? [...data.validation] : data.validation ?? d.validation,
      test: [...(data.test ?? d.test)],
      ...common,
    };
  }
  if (data.source === "mnist") {
    const validation = typeof data.validation === "number" ? data.validation : d.validation;
    return { source: "mnist", mnist: { ...d.mnist, ...data.mnist }, validation, ...common };
  }
  return { source: "synthetic", synthetic: { ...d.synthetic, ...data.synthetic }, ...common };
}

function resolveAugment(augment: DataInput["augment"]): { augment?: AugmentSpec } {
  if (augment === undefined) return {};
  return { augment: { flip: augment.flip ?? DEFAULTS.data.augment.flip, ...(augment.crop === undefined ? {} : { crop: { padding: augment.crop.padding } }) } };
}

function resolveInit(init: unknown): InitSpec {
  return initializers.resolve(normalizeInit(init ?? DEFAULTS.model.init) as ComponentConfig) as InitSpec;
}

/** A layer with its declared defaults; options that are initializers take the model's init when absent. */
function resolveLayer(layer: LayerInput, init: InitSpec): LayerSpec {
  const declaration = layers.get(layer.type);
  if (declaration === undefined) return deepClone(layer);
  const config: Record<string, unknown> = deepClone(layer);
  for (const [key, option] of Object.entries(declaration.options.properties)) {
    if ((option as Record<string, unknown>)[COMPONENT_OPTION] !== "initializer") continue;
    config[key] = config[key] === undefined ? { ...init } : resolveInit(config[key]);
  }
  return layers.resolve(config as ComponentConfig) as LayerSpec;
}

function resolveModel(model: ModelInput, data: DataInput): ModelSpec {
  const shape = dataShape(data.source, data.synthetic);
  const init = resolveInit(model.init);
  const common = { input: model.input ?? shape.dim, output: model.output ?? shape.classes, init };
  if (model.layers !== undefined) return { ...common, layers: model.layers.map((layer) => resolveLayer(layer, init)) };
  const batchNorm = { enabled: true, ...expandShorthand(["model", "batchNorm"], model.batchNorm ?? false) };
  return {
    ...common,
    hidden: [...(model.hidden ?? DEFAULTS.model.hidden)],
    batchNorm: { ...DEFAULTS.model.batchNorm, ...batchNorm } as BatchNormSpec,
    activation: model.activation ?? DEFAULTS.model.activation,
  };
}

function resolveTraining(training: TrainingInput): TrainingSpec {
  const t = DEFAULTS.training;
  const optimizer = optimizers.resolve(expandShorthand(["training", "optimizer"], training.optimizer ?? t.optimizer) as ComponentConfig) as OptimizerSpec;
  const schedule = schedules.resolve(expandShorthand(["training", "schedule"], training.schedule ?? t.schedule) as ComponentConfig) as ScheduleSpec;
  return {
    optimizer,
    learningRate: training.learningRate ?? t.learningRate,
    schedule,
    lambda: training.lambda ?? t.lambda,
    batchSize: training.batchSize ?? t.batchSize,
    epochs: training.epochs ?? t.epochs,
    seed: training.seed ?? t.seed,
    shuffle: training.shuffle ?? t.shuffle,
    divergence: { costRatio: training.divergence?.costRatio ?? t.divergence.costRatio },
    ...(training.earlyStopping === undefined ? {} : { earlyStopping: { ...t.earlyStopping, ...training.earlyStopping } }),
  };
}

function resolveGradcheck(g: GradcheckInput): GradcheckSection {
  const d = DEFAULTS.gradcheck;
  return {
    batch: g.batch ?? d.batch,
    lambdas: [...(g.lambdas ?? d.lambdas)],
    h: g.h ?? d.h,
    eps: g.eps ?? d.eps,
    mode: g.mode ?? d.mode,
    directions: g.directions ?? d.directions,
    ...(g.sample !== undefined ? { sample: g.sample } : {}),
    ...(g.parameters !== undefined ? { parameters: [...g.parameters] } : {}),
    ...(g.tolerance !== undefined ? { tolerance: { ...g.tolerance } } : {}),
  };
}

function resolveSweep(sweep: SweepInput, epochs: number): SweepSection {
  const d = DEFAULTS.sweep;
  const metric = sweep.metric ?? d.metric;
  const parameters = deepClone(sweep.parameters);
  const stagesIn = sweep.stages ?? [{}];
  const stages = stagesIn.map((stage, i): SweepStage => {
    const own: Record<string, Distribution> = deepClone(stage.parameters ?? {});
    const trials = stage.trials ?? sweep.trials;
    return {
      name: stage.name ?? `stage${i + 1}`,
      ...(trials !== undefined ? { trials } : {}),
      epochs: stage.epochs ?? epochs,
      ...(stage.refine !== undefined ? { refine: { ...d.refine, ...stage.refine } } : {}),
      parameters: stage.refine !== undefined ? own : { ...deepClone(parameters), ...own },
    };
  }).map((stage, i) => {
    const pruning = resolveEarlyTerminate(stageEarlyTerminate(sweep.earlyTerminate, stagesIn[i].earlyTerminate), stage.epochs);
    return pruning === undefined ? stage : { ...stage, earlyTerminate: pruning };
  });
  return {
    method: sweep.method ?? d.method,
    seed: sweep.seed ?? d.seed,
    ...(sweep.parallel !== undefined ? { parallel: sweep.parallel } : {}),
    metric,
    goal: sweep.goal ?? (metric.endsWith(".accuracy") ? "maximize" : "minimize"),
    parameters,
    stages,
    top: sweep.top ?? d.top,
    ...(sweep.final !== undefined ? { final: { top: sweep.final.top ?? d.finalTop, set: deepClone(sweep.final.set ?? {}) } } : {}),
  };
}

/**
 * A stage's early termination as written: the stage's keys over the sweep's, unless the stage names
 * another rule, which then replaces the sweep's whole (its options would not apply).
 */
export function stageEarlyTerminate<T extends object>(sweep: T | undefined, stage: T | undefined): T | Record<string, never> {
  const type = (x: T | undefined): unknown => (x === undefined ? undefined : (x as { type?: unknown }).type);
  if (stage !== undefined && type(stage) !== undefined && type(sweep) !== undefined && type(stage) !== type(sweep)) return stage;
  return { ...(sweep ?? {}), ...(stage ?? {}) } as T;
}

/** A stage's early termination with every default filled in; absent when nothing could be stopped. */
export function resolveEarlyTerminate(input: EarlyTerminateInput, epochs: number): EarlyTerminate | undefined {
  const d = DEFAULTS.sweep.earlyTerminate;
  const minEpochs = input.minEpochs ?? d.minEpochs;
  switch (input.type) {
    case undefined:
    case "none":
      return undefined;
    case "median":
      return minEpochs < epochs ? { type: "median", minEpochs, minTrials: input.minTrials ?? d.minTrials } : undefined;
    case "successiveHalving":
    case "asha": {
      const reductionFactor = input.reductionFactor ?? d.reductionFactor;
      const rungs = (input.rungs ?? geometricRungs(minEpochs, reductionFactor, epochs)).filter((r) => r < epochs);
      return rungs.length === 0 ? undefined : { type: input.type, reductionFactor, rungs };
    }
  }
}

/** minEpochs·η^k below `epochs`, rounded to whole epochs. */
function geometricRungs(minEpochs: number, reductionFactor: number, epochs: number): number[] {
  const rungs: number[] = [];
  for (let r = minEpochs; Math.round(r) < epochs && reductionFactor > 1; r *= reductionFactor) {
    const epoch = Math.round(r);
    if (rungs[rungs.length - 1] !== epoch) rungs.push(epoch);
  }
  return rungs;
}
