import type { Tensor } from "@gradspec/autograd";

/**
 * How momentum enters the update:
 * - "report": v = ρ·v + η·∇; θ = θ − v (the reproduced report's form).
 * - "pytorch": v = ρ·v + ∇; θ = θ − η·v (torch.optim.SGD).
 * - "nesterov": v = ρ·v + ∇; θ = θ − η·(∇ + ρ·v) (torch.optim.SGD with nesterov=True).
 * With ρ = 0 all three are plain SGD. They differ when η changes over time.
 */
export type MomentumVariant = "report" | "pytorch" | "nesterov";

export interface SgdOptions {
  momentum: number;
  variant?: MomentumVariant;
}

/** SGD with momentum over named parameters; velocities are allocated once, updates allocate nothing. */
export class SgdMomentum {
  readonly momentum: number;
  readonly variant: MomentumVariant;
  private readonly velocity = new Map<string, Float64Array>();

  constructor(options: SgdOptions) {
    this.momentum = options.momentum;
    this.variant = options.variant ?? "report";
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new RangeError(`sgd: momentum must be in [0, 1), got ${this.momentum}`);
  }

  /** Applies one update to every parameter that has a gradient. */
  step(params: ReadonlyMap<string, Tensor>, grads: ReadonlyMap<string, Tensor>, learningRate: number): void {
    for (const [name, param] of params) {
      const grad = grads.get(name);
      if (grad === undefined) continue;
      let v = this.velocity.get(name);
      if (v === undefined) {
        v = new Float64Array(param.size);
        this.velocity.set(name, v);
      }
      updateParameter(this.variant, param.data, grad.data, v, learningRate, this.momentum);
    }
  }

  /** Velocities by parameter name, for checkpoints. */
  state(): ReadonlyMap<string, Float64Array> {
    return this.velocity;
  }
}

function updateParameter(
  variant: MomentumVariant,
  theta: Float64Array,
  grad: Float64Array,
  v: Float64Array,
  eta: number,
  rho: number,
): void {
  const n = theta.length;
  switch (variant) {
    case "report":
      for (let i = 0; i < n; i++) {
        v[i] = rho * v[i] + eta * grad[i];
        theta[i] -= v[i];
      }
      break;
    case "pytorch":
      for (let i = 0; i < n; i++) {
        v[i] = rho * v[i] + grad[i];
        theta[i] -= eta * v[i];
      }
      break;
    case "nesterov":
      for (let i = 0; i < n; i++) {
        v[i] = rho * v[i] + grad[i];
        theta[i] -= eta * (grad[i] + rho * v[i]);
      }
      break;
  }
}
