import type { Tensor } from "@gradspec/autograd";
import type { Optimizer } from "./optimizer.js";

export interface AdamOptions {
  beta1: number;
  beta2: number;
  eps: number;
  /** AdamW's decoupled weight decay: θ ← θ·(1 − η·weightDecay) before each update, on `decayed` only. */
  weightDecay: number;
  decayed: readonly string[];
}

const STEP_KEY = "step";

/**
 * Adam (Kingma & Ba 2015) with bias correction, and AdamW (Loshchilov & Hutter 2019) when weightDecay
 * > 0, in the order of operations of torch.optim.Adam / AdamW (single-tensor, PyTorch 1.13):
 *   g = ∇ + 2λθ (the training's L2, weights only);   θ ← θ·(1 − η·wd)   (AdamW, decayed parameters)
 *   m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g·g
 *   θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 */
export class Adam implements Optimizer {
  private readonly m = new Map<string, Float64Array>();
  private readonly v = new Map<string, Float64Array>();
  private readonly decayed: ReadonlySet<string>;
  private t = 0;

  constructor(readonly options: AdamOptions) {
    this.decayed = new Set(options.decayed);
  }

  step(params: ReadonlyMap<string, Tensor>, grads: ReadonlyMap<string, Tensor>, learningRate: number, l2?: ReadonlyMap<string, number>): void {
    const { beta1, beta2, eps, weightDecay } = this.options;
    this.t += 1;
    const stepSize = learningRate / (1 - beta1 ** this.t);
    const correction2 = Math.sqrt(1 - beta2 ** this.t);
    for (const [name, param] of params) {
      const grad = grads.get(name);
      if (grad === undefined) continue;
      const theta = param.data;
      const g = grad.data;
      const m = this.buffer(this.m, name, theta.length);
      const v = this.buffer(this.v, name, theta.length);
      const lambda2 = 2 * (l2?.get(name) ?? 0);
      const shrink = weightDecay > 0 && this.decayed.has(name) ? 1 - learningRate * weightDecay : 1;
      for (let i = 0; i < theta.length; i++) {
        const gi = lambda2 === 0 ? g[i] : g[i] + lambda2 * theta[i];
        if (shrink !== 1) theta[i] *= shrink;
        m[i] = m[i] * beta1 + (1 - beta1) * gi;
        v[i] = v[i] * beta2 + (1 - beta2) * gi * gi;
        theta[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / correction2 + eps);
      }
    }
  }

  private buffer(buffers: Map<string, Float64Array>, name: string, length: number): Float64Array {
    let b = buffers.get(name);
    if (b === undefined) {
      b = new Float64Array(length);
      buffers.set(name, b);
    }
    return b;
  }

  copyState(): Map<string, Float64Array> {
    const state = new Map<string, Float64Array>([[STEP_KEY, Float64Array.of(this.t)]]);
    for (const [name, m] of this.m) state.set(`${name}.m`, Float64Array.from(m));
    for (const [name, v] of this.v) state.set(`${name}.v`, Float64Array.from(v));
    return state;
  }

  load(state: ReadonlyMap<string, Float64Array>, params: ReadonlyMap<string, Tensor>): void {
    for (const [key, saved] of state) {
      if (key === STEP_KEY) {
        this.t = saved[0];
        continue;
      }
      const match = /^(.*)\.(m|v)$/.exec(key);
      const param = match === null ? undefined : params.get(match[1]);
      if (match === null || param === undefined) throw new RangeError(`adam: the state has ${key}, which is not a parameter's moment`);
      if (saved.length !== param.size) throw new RangeError(`adam: ${key} has ${saved.length} elements, the parameter ${param.size}`);
      (match[2] === "m" ? this.m : this.v).set(match[1], Float64Array.from(saved));
    }
  }
}
