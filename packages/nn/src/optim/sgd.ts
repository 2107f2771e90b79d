import { backend, momentumStepPlain, type MomentumRule, type Tensor } from "@gradspec/autograd";

/**
 * How momentum enters the update:
 * - "report": v = ρ·v + η·∇; θ = θ − v (the reproduced report's form).
 * - "pytorch": v = ρ·v + ∇; θ = θ − η·v (torch.optim.SGD).
 * - "nesterov": v = ρ·v + ∇; θ = θ − η·(∇ + ρ·v) (torch.optim.SGD with nesterov=True).
 * With ρ = 0 all three are plain SGD. They differ when η changes over time.
 */
export type MomentumVariant = MomentumRule;

export interface SgdOptions {
  momentum: number;
  variant?: MomentumVariant;
  /**
   * Where velocities are allocated (zero-filled, `length` float64). Default: ordinary arrays. The
   * training loop passes wasm memory, so the wasm kernels update parameters in place.
   */
  allocate?: (length: number) => Float64Array;
}

/** SGD with momentum over named parameters; velocities are allocated once, updates allocate nothing. */
export class SgdMomentum {
  readonly momentum: number;
  readonly variant: MomentumVariant;
  private readonly velocity = new Map<string, Float64Array>();
  private readonly allocateVelocity: (length: number) => Float64Array;

  constructor(options: SgdOptions) {
    this.momentum = options.momentum;
    this.variant = options.variant ?? "report";
    this.allocateVelocity = options.allocate ?? ((length) => new Float64Array(length));
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new RangeError(`sgd: momentum must be in [0, 1), got ${this.momentum}`);
  }

  /**
   * Applies one update to every parameter that has a gradient. `decay` gives, per parameter name, the
   * λ of an L2 penalty λ‖θ‖² whose gradient (λ·θ)·2 is added to the given one (the same numbers as
   * putting the penalty on the tape, without its three full-size temporaries).
   */
  step(params: ReadonlyMap<string, Tensor>, grads: ReadonlyMap<string, Tensor>, learningRate: number, decay?: ReadonlyMap<string, number>): void {
    const kernels = backend();
    for (const [name, param] of params) {
      const grad = grads.get(name);
      if (grad === undefined) continue;
      let v = this.velocity.get(name);
      if (v === undefined) {
        v = this.allocateVelocity(param.size);
        this.velocity.set(name, v);
      }
      const lambda = decay?.get(name) ?? 0;
      if (kernels.momentumStep !== undefined) kernels.momentumStep(this.variant, param.data, grad.data, v, learningRate, this.momentum, lambda);
      else momentumStepPlain(this.variant, param.data, grad.data, v, learningRate, this.momentum, lambda);
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
      const v = this.allocateVelocity(param.size);
      v.set(saved);
      this.velocity.set(name, v);
    }
  }
}
