import { allocateLasting, kernel, type Tensor } from "@gradspec/autograd";
import { MOMENTUM_KERNEL, type MomentumRule } from "./momentum.js";

/** How momentum enters the update (see `MomentumRule`). */
export type MomentumVariant = MomentumRule;

export interface SgdOptions {
  momentum: number;
  variant?: MomentumVariant;
}

/**
 * SGD with momentum over named parameters; velocities are allocated once (by the active backend, next
 * to the parameters it allocated), updates allocate nothing.
 */
export class SgdMomentum {
  readonly momentum: number;
  readonly variant: MomentumVariant;
  private readonly velocity = new Map<string, Float64Array>();

  constructor(options: SgdOptions) {
    this.momentum = options.momentum;
    this.variant = options.variant ?? "report";
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new RangeError(`sgd: momentum must be in [0, 1), got ${this.momentum}`);
  }

  /**
   * Applies one update to every parameter that has a gradient. `decay` gives, per parameter name, the
   * λ of an L2 penalty λ‖θ‖² whose gradient (λ·θ)·2 is added to the given one (the same numbers as
   * putting the penalty on the tape, without its three full-size temporaries).
   */
  step(params: ReadonlyMap<string, Tensor>, grads: ReadonlyMap<string, Tensor>, learningRate: number, decay?: ReadonlyMap<string, number>): void {
    const update = kernel(MOMENTUM_KERNEL);
    for (const [name, param] of params) {
      const grad = grads.get(name);
      if (grad === undefined) continue;
      let v = this.velocity.get(name);
      if (v === undefined) {
        v = allocateLasting(param.size);
        this.velocity.set(name, v);
      }
      const lambda = decay?.get(name) ?? 0;
      update(this.variant, param.data, grad.data, v, learningRate, this.momentum, lambda);
    }
  }

  /** Velocities by parameter name, for checkpoints. */
  state(): ReadonlyMap<string, Float64Array> {
    return this.velocity;
  }

  /** Copies of the velocities, which stay valid whatever this optimizer does next. */
  copyState(): Map<string, Float64Array> {
    return new Map([...this.velocity].map(([name, v]) => [name, Float64Array.from(v)]));
  }

  /** Continues from velocities `copyState` gave (each must match its parameter's size). */
  load(state: ReadonlyMap<string, Float64Array>, params: ReadonlyMap<string, Tensor>): void {
    for (const [name, saved] of state) {
      const param = params.get(name);
      if (param === undefined) throw new RangeError(`sgd: the state has a velocity for ${name}, which is not a parameter`);
      if (saved.length !== param.size) throw new RangeError(`sgd: the velocity of ${name} has ${saved.length} elements, the parameter ${param.size}`);
      const v = allocateLasting(param.size);
      v.set(saved);
      this.velocity.set(name, v);
    }
  }
}
