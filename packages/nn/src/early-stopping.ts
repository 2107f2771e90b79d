import type { Tensor } from "@gradspec/autograd";
import type { Evaluation } from "./evaluate.js";

/** Stop when the validation metric has not improved by more than minDelta for `patience` epochs. */
export interface EarlyStoppingOptions {
  metric: "loss" | "cost" | "accuracy";
  patience: number;
  /** An epoch improves on the best only by more than this. Default 0. */
  minDelta?: number;
}

/** Where early stopping stands: the best epoch so far, its value and parameters, and epochs since. */
export interface EarlyStoppingState {
  best: number;
  bestEpoch: number;
  wait: number;
  /** The best epoch's parameters and buffers by name (copies). */
  snapshot: Map<string, Float64Array>;
}

/** Why a run stopped before its last epoch. */
export interface EarlyStop {
  epoch: number;
  bestEpoch: number;
  best: number;
  metric: EarlyStoppingOptions["metric"];
}

/** Tracks the validation metric epoch by epoch; `observe` says when to stop, `restore` puts the best epoch back. */
export class EarlyStopping {
  readonly state: EarlyStoppingState;

  constructor(
    readonly options: EarlyStoppingOptions,
    private readonly tensors: ReadonlyMap<string, Tensor>,
    state?: EarlyStoppingState,
  ) {
    if (!(Number.isInteger(options.patience) && options.patience >= 1)) throw new RangeError(`early stopping: patience must be an integer ≥ 1, got ${options.patience}`);
    this.state = state ?? { best: Number.NaN, bestEpoch: 0, wait: 0, snapshot: new Map() };
  }

  /** Records an epoch's validation evaluation; true when training should stop after it. */
  observe(epoch: number, validation: Evaluation): boolean {
    const value = validation[this.options.metric];
    const larger = this.options.metric === "accuracy";
    const delta = this.options.minDelta ?? 0;
    const s = this.state;
    const improved = Number.isNaN(s.best) || (larger ? value > s.best + delta : value < s.best - delta);
    if (improved) {
      s.best = value;
      s.bestEpoch = epoch;
      s.wait = 0;
      for (const [name, t] of this.tensors) {
        const saved = s.snapshot.get(name);
        if (saved === undefined) s.snapshot.set(name, Float64Array.from(t.data));
        else saved.set(t.data);
      }
      return false;
    }
    s.wait += 1;
    return s.wait >= this.options.patience;
  }

  restore(): void {
    for (const [name, t] of this.tensors) {
      const saved = this.state.snapshot.get(name);
      if (saved !== undefined) t.data.set(saved);
    }
  }

  copyState(): EarlyStoppingState {
    const s = this.state;
    return { best: s.best, bestEpoch: s.bestEpoch, wait: s.wait, snapshot: new Map([...s.snapshot].map(([k, v]) => [k, Float64Array.from(v)])) };
  }
}
