import { kernelName, nativeAddon, registerKernel, wasmExtras } from "@gradspec/autograd";

/**
 * How momentum enters an SGD update:
 * - "report": v = ρ·v + η·∇; θ = θ − v (the reproduced report's form).
 * - "pytorch": v = ρ·v + ∇; θ = θ − η·v (torch.optim.SGD).
 * - "nesterov": v = ρ·v + ∇; θ = θ − η·(∇ + ρ·v) (torch.optim.SGD with nesterov=True).
 * With ρ = 0 all three are plain SGD. They differ when η changes over time.
 */
export type MomentumRule = "report" | "pytorch" | "nesterov";

/** The rules' numbers in the compiled kernels (wasm, native). */
const RULE_CODES: Record<MomentumRule, number> = { report: 0, pytorch: 1, nesterov: 2 };

/**
 * One update of θ and its velocity v in place. With `decay` λ > 0 the gradient is ∇ + (λ·θ)·2, the
 * gradient of the L2 penalty λ‖θ‖² added as the tape would add it; with λ = 0 it is ∇ itself. The
 * reference for every backend.
 */
export function momentumStepPlain(
  rule: MomentumRule,
  theta: Float64Array,
  grad: Float64Array,
  v: Float64Array,
  eta: number,
  rho: number,
  decay = 0,
): void {
  const n = theta.length;
  // With decay 0 the gradient is used as it is: adding (0·θ)·2 would turn −0 into +0 and ±∞ θ into NaN.
  switch (rule) {
    case "report":
      for (let i = 0; i < n; i++) {
        const g = decay === 0 ? grad[i] : grad[i] + decay * theta[i] * 2;
        v[i] = rho * v[i] + eta * g;
        theta[i] -= v[i];
      }
      break;
    case "pytorch":
      for (let i = 0; i < n; i++) {
        const g = decay === 0 ? grad[i] : grad[i] + decay * theta[i] * 2;
        v[i] = rho * v[i] + g;
        theta[i] -= eta * v[i];
      }
      break;
    case "nesterov":
      for (let i = 0; i < n; i++) {
        const g = decay === 0 ? grad[i] : grad[i] + decay * theta[i] * 2;
        v[i] = rho * v[i] + g;
        theta[i] -= eta * (g + rho * v[i]);
      }
      break;
  }
}

export type MomentumKernel = (rule: MomentumRule, theta: Float64Array, grad: Float64Array, v: Float64Array, eta: number, rho: number, decay: number) => void;

/** The momentum update, by name in the kernel registry: every implementation gives the plain one's bits. */
export const MOMENTUM_KERNEL = kernelName<MomentumKernel>("nn.momentumStep");

registerKernel(MOMENTUM_KERNEL, {
  plain: momentumStepPlain,
  wasm(rule, theta, grad, v, eta, rho, decay) {
    // Runs in wasm when θ, ∇ and v live in the wasm memory (tensors the wasm backend allocated).
    if (!wasmExtras()?.momentumStep(RULE_CODES[rule], theta, grad, v, eta, rho, decay)) momentumStepPlain(rule, theta, grad, v, eta, rho, decay);
  },
  native(rule, theta, grad, v, eta, rho, decay) {
    const addon = nativeAddon();
    if (addon === null) throw new Error("the native kernels are not loaded");
    if (grad.length < theta.length || v.length < theta.length) throw new RangeError(`native kernels: momentumStep needs ∇ and v of θ's length ${theta.length}`);
    addon.momentumStep(RULE_CODES[rule], theta, grad, v, eta, rho, decay);
  },
});
