import { Rng, Tape, Tensor, backend, withAllocator, type RngState, type StepPool } from "@gradspec/autograd";
import type { BatchPosition, BatchSource } from "./data.js";
import { evaluate, type Evaluation } from "./evaluate.js";
import type { ForwardContext } from "./layers/layer.js";
import type { Sequential } from "./layers/sequential.js";
import { l2PenaltyValue, lossAndCost } from "./loss.js";
import type { ComponentConfig } from "./components/declaration.js";
import type { MomentumVariant } from "./optim/sgd.js";
import { optimizers } from "./optim/optimizer.js";
import "./optim/optimizers.js";
import { schedule as makeSchedule, type ScheduleSpec } from "./optim/schedule.js";
import { EarlyStopping, type EarlyStop, type EarlyStoppingOptions, type EarlyStoppingState } from "./early-stopping.js";

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  schedule?: ScheduleSpec;
  /** L2 strength λ on weight matrices. Default 0. */
  lambda?: number;
  /** A registered optimizer and its options ({type: adam}, …). Default: SGD with `momentum` and `variant`. */
  optimizer?: ComponentConfig;
  /** ρ of the default SGD optimizer. Default 0.9. */
  momentum?: number;
  variant?: MomentumVariant;
  /** Seeds the per-epoch shuffles. */
  seed: number;
  /** Default true. */
  shuffle?: boolean;
  /** Record an epoch-0 row (the untrained network) before training. Default true. */
  evaluateInitial?: boolean;
  /** Evaluate loss, cost and accuracy over the whole training set after each epoch. Default true. */
  evaluateTrain?: boolean;
  /**
   * Continue a run: the state its `train` call returned, on a model holding that run's parameters and
   * buffers (see encodeTrainingState). The rest of the run is then bit for bit the uninterrupted one.
   */
  resume?: TrainState;
  /** Stop after this epoch (default `epochs`); the result's state continues from there. */
  until?: number;
  /**
   * Besides a non-finite cost, a batch whose cost exceeds costRatio × the run's first batch cost
   * ends the run as diverged, before its update. Default: only non-finite costs.
   */
  divergence?: { costRatio: number };
  /**
   * Stop once the validation metric has not improved for `patience` epochs, and put the best epoch's
   * parameters and buffers back. Needs a validation source.
   */
  earlyStopping?: EarlyStoppingOptions;
}

/** What the rest of a run depends on besides the model's parameters and buffers. */
export interface TrainState {
  /** Epochs trained so far. */
  epoch: number;
  /** Optimizer updates so far (cyclic schedules count them). */
  update: number;
  /** The shuffle generator, and the sample order it permutes in place every epoch. */
  rng: RngState;
  order: Int32Array;
  /** The optimizer's per-parameter state (SGD: velocities) by parameter name. */
  optimizer: Map<string, Float64Array>;
  /** The cost of the run's first batch, the reference of the divergence rule (NaN: not yet known). */
  firstCost: number;
  /** With early stopping: its best epoch so far and that epoch's parameters. */
  earlyStopping?: EarlyStoppingState;
  /** Set when early stopping ended the run (its parameters are then the best epoch's). */
  stopped?: EarlyStop;
}

export interface EpochMetrics {
  /** 0 for the untrained network, then 1, 2, … */
  epoch: number;
  /** η used during this epoch (its first update, for schedules that change within an epoch). */
  learningRate: number;
  train?: Evaluation;
  validation?: Evaluation;
  /** Seconds spent in this epoch's training steps. */
  seconds: number;
}

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  cost: number;
  learningRate: number;
}

export interface TrainEvents {
  onBatch?(progress: BatchProgress): void;
  onEpoch?(metrics: EpochMetrics): void;
  /** After each epoch's metrics: where the run stands (copies), e.g. to write a checkpoint it can resume from. */
  onState?(state: TrainState): void;
}

export interface Divergence {
  epoch: number;
  batch: number;
  cost: number;
  /** Present when a finite cost exceeded the divergence rule's limit (costRatio × the first batch cost). */
  limit?: { costRatio: number; firstCost: number };
}

export interface TrainResult {
  status: "completed" | "diverged";
  diverged?: Divergence;
  /** The epochs of this call (after a resume, from the epoch it resumed at). */
  history: EpochMetrics[];
  seconds: number;
  /** Where the run stands (copies): pass it as `resume` to continue it. Absent when it diverged. */
  state?: TrainState;
  /** Set when early stopping ended the run before its last epoch. */
  stopped?: EarlyStop;
}

export function divergenceMessage(d: Divergence): string {
  const ratio = (r: number): string => (r >= 1e4 ? r.toExponential().replace("e+", "e") : String(r));
  const why = d.limit === undefined ? "" : `, above ${ratio(d.limit.costRatio)}× the first batch's ${d.limit.firstCost.toPrecision(4)}`;
  return `diverged at epoch ${d.epoch}, batch ${d.batch} (cost ${d.limit === undefined ? d.cost : d.cost.toPrecision(4)}${why})`;
}

/**
 * Mini-batch training with seeded shuffles. A cost that becomes NaN or infinite (or exceeds the
 * `divergence` rule's limit) stops the run with status "diverged" and the history so far. Temporaries come from a buffer pool reused every step.
 */
export function train(
  model: Sequential,
  data: { train: BatchSource; validation?: BatchSource },
  options: TrainOptions,
  events: TrainEvents = {},
): TrainResult {
  const pools: StepPool[] = [];
  try {
    return trainWith(model, data, options, events, pools);
  } finally {
    for (const pool of pools) pool.dispose();
  }
}

const STEP_POOL_BYTES = 128 * 1024 * 1024;

function trainWith(
  model: Sequential,
  data: { train: BatchSource; validation?: BatchSource },
  options: TrainOptions,
  events: TrainEvents,
  pools: StepPool[],
): TrainResult {
  const started = performance.now();
  const { train: source, validation } = data;
  if (source.dim !== model.inputDim) {
    throw new RangeError(`train: the data has ${source.dim} features but the network expects ${model.inputDim}`);
  }
  const batchSize = Math.min(options.batchSize, source.count);
  if (!(batchSize >= 1)) throw new RangeError(`train: need at least one training sample and a batch size ≥ 1`);
  const lambda = options.lambda ?? 0;
  const resume = options.resume;
  const until = options.until ?? options.epochs;
  if (!(Number.isInteger(until) && until >= (resume?.epoch ?? 0) && until <= options.epochs)) {
    throw new RangeError(`train: until must be an epoch from ${resume?.epoch ?? 0} to ${options.epochs}, got ${until}`);
  }
  if (resume !== undefined && resume.order.length !== source.count) {
    throw new RangeError(`train: the state to resume orders ${resume.order.length} samples, the data has ${source.count}`);
  }
  const optimizerConfig = options.optimizer ?? { type: "sgd", momentum: options.momentum ?? 0.9, variant: options.variant ?? "report" };
  const optimizer = optimizers.build(optimizerConfig, { decayed: model.decayed });
  if (resume !== undefined) optimizer.load(resume.optimizer, model.params);
  if (options.earlyStopping !== undefined && (validation === undefined || validation.count === 0)) {
    throw new RangeError("train: early stopping watches the validation split, and there is none");
  }
  if (resume?.stopped !== undefined) throw new RangeError(`train: this run was stopped early at epoch ${resume.stopped.epoch}; it has nothing left to continue`);
  const stopping = options.earlyStopping === undefined ? undefined : new EarlyStopping(options.earlyStopping, new Map([...model.params, ...model.buffers]), resume?.earlyStopping);
  let stopped: EarlyStop | undefined;
  const learningRateAt = makeSchedule(options.schedule ?? { type: "constant" }, options.learningRate);
  const rng = resume === undefined ? new Rng(options.seed) : Rng.fromState(resume.rng);
  // The backend's pools: with the wasm kernels, arenas inside the wasm memory, so matrix products read
  // the step's tensors, the batch included, in place. Either way a warm step allocates nothing.
  const storage = backend().storage;
  const pool = storage.createPool(STEP_POOL_BYTES);
  const inputs = storage.createPool((batchSize + 1) * source.dim * 8 + 1024);
  pools.push(pool, inputs);
  const tape = new Tape();
  const paramNames = [...model.params.keys()];
  const paramTensors = paramNames.map((n) => model.params.get(n) as Tensor);
  const order = resume === undefined ? new Int32Array(source.count).map((_, i) => i) : Int32Array.from(resume.order);
  const batchBuffer = inputs.allocate((batchSize + 1) * source.dim);
  const batchLabels = new Int32Array(batchSize + 1);
  const bounds = batchBounds(source.count, batchSize);
  // Views of `order` per batch; the shuffle permutes `order` in place, so they stay valid.
  const batchIndices = bounds.slice(0, -1).map((start, b) => order.subarray(start, bounds[b + 1]));
  const history: EpochMetrics[] = [];
  // Everything a step needs is made once and refilled, so a warm step allocates no Map, batch view or closure.
  const grads = new Map<string, Tensor>();
  const batches = new StepInputs(batchBuffer, batchLabels, source.dim);
  const position: BatchPosition = { epoch: 0, batch: 0 };
  let x = batches.rows(1).x;
  let labels = batches.rows(1).labels;
  let learningRate = 0;
  let loss = Number.NaN;
  let cost = Number.NaN;
  const costRatio = options.divergence?.costRatio ?? Number.POSITIVE_INFINITY;
  let firstCost = resume?.firstCost ?? Number.NaN;
  const diverging = (): boolean => !Number.isFinite(cost) || cost > costRatio * firstCost;
  const training: ForwardContext = { training: true };
  // The L2 penalty stays off the tape: its value comes from l2PenaltyValue and its gradient is added by
  // the optimizer (`decay`), with the same numbers as differentiating the cost on the tape (tested).
  const forward = () => lossAndCost(model, x, labels, 0, training);
  const decay = new Map(lambda === 0 ? [] : model.decayed.map((name) => [name, lambda]));
  const step = (): void => {
    for (const p of paramTensors) tape.watch(p);
    const result = tape.run(forward);
    loss = result.loss.data[0];
    cost = lambda === 0 ? loss : loss + l2PenaltyValue(model, lambda);
    if (Number.isNaN(firstCost)) firstCost = cost;
    if (diverging()) return;
    const g = tape.gradient(result.loss, paramTensors);
    for (let i = 0; i < paramNames.length; i++) grads.set(paramNames[i], g[i]);
    optimizer.step(model.params, grads, learningRate, decay);
  };

  const measure = (epoch: number, learningRate: number, seconds: number): EpochMetrics => {
    const metrics: EpochMetrics = { epoch, learningRate, seconds };
    const evalOptions = { lambda };
    if (options.evaluateTrain ?? true) metrics.train = evaluate(model, source, evalOptions);
    if (validation !== undefined && validation.count > 0) metrics.validation = evaluate(model, validation, evalOptions);
    history.push(metrics);
    events.onEpoch?.(metrics);
    return metrics;
  };

  if (resume === undefined && (options.evaluateInitial ?? true)) measure(0, learningRateAt(0, 0), 0);
  let update = resume?.update ?? 0;
  const stateAt = (epoch: number): TrainState => {
    const state: TrainState = { epoch, update, rng: rng.state(), order: Int32Array.from(order), optimizer: optimizer.copyState(), firstCost };
    if (stopping !== undefined) state.earlyStopping = stopping.copyState();
    if (stopped !== undefined) state.stopped = stopped;
    return state;
  };
  for (let epoch = resume?.epoch ?? 0; epoch < until; epoch++) {
    const epochStart = performance.now();
    const epochRate = learningRateAt(epoch, update);
    if (options.shuffle ?? true) rng.shuffle(order);
    for (let b = 0; b < bounds.length - 1; b++) {
      const rows = bounds[b + 1] - bounds[b];
      position.epoch = epoch + 1;
      position.batch = b + 1;
      source.fill(batchIndices[b], batchBuffer, batchLabels, position);
      const batch = batches.rows(rows);
      x = batch.x;
      labels = batch.labels;
      learningRate = learningRateAt(epoch, update);
      pool.reset();
      tape.reset();
      withAllocator(pool, step);
      update++;
      if (diverging()) {
        tape.reset();
        const diverged: Divergence = { epoch: epoch + 1, batch: b + 1, cost };
        if (Number.isFinite(cost)) diverged.limit = { costRatio, firstCost };
        return {
          status: "diverged",
          diverged,
          history,
          seconds: (performance.now() - started) / 1000,
        };
      }
      events.onBatch?.({ epoch: epoch + 1, batch: b + 1, batches: bounds.length - 1, loss, cost, learningRate });
    }
    tape.reset();
    const metrics = measure(epoch + 1, epochRate, (performance.now() - epochStart) / 1000);
    if (stopping !== undefined && metrics.validation !== undefined && stopping.observe(epoch + 1, metrics.validation)) {
      stopping.restore();
      const s = stopping.state;
      stopped = { epoch: epoch + 1, bestEpoch: s.bestEpoch, best: s.best, metric: stopping.options.metric };
      const state = stateAt(epoch + 1);
      events.onState?.(state);
      return { status: "completed", history, seconds: (performance.now() - started) / 1000, state, stopped };
    }
    events.onState?.(stateAt(epoch + 1));
  }
  return { status: "completed", history, seconds: (performance.now() - started) / 1000, state: stateAt(until) };
}

/** The batch tensor and labels over the first `rows` rows of the loop's buffers, made once per distinct row count. */
class StepInputs {
  private readonly byRows = new Map<number, { x: Tensor; labels: Int32Array }>();

  constructor(
    private readonly buffer: Float64Array,
    private readonly labels: Int32Array,
    private readonly dim: number,
  ) {}

  rows(rows: number): { x: Tensor; labels: Int32Array } {
    let views = this.byRows.get(rows);
    if (views === undefined) {
      views = { x: new Tensor(this.buffer.subarray(0, rows * this.dim), [rows, this.dim]), labels: this.labels.subarray(0, rows) };
      this.byRows.set(rows, views);
    }
    return views;
  }
}

/**
 * Start offsets of the mini-batches of an epoch, plus the end. The last batch holds the remainder;
 * a remainder of a single sample joins the batch before it, since batch norm needs two.
 */
export function batchBounds(count: number, batchSize: number): number[] {
  const bounds: number[] = [];
  for (let start = 0; start < count; start += batchSize) bounds.push(start);
  bounds.push(count);
  if (bounds.length > 2 && bounds[bounds.length - 1] - bounds[bounds.length - 2] === 1) bounds.splice(bounds.length - 2, 1);
  return bounds;
}
