// One SGD-with-momentum update of n float64 in place. rule 0 (report): v = ρ·v + η·g, θ = θ − v;
// 1 (pytorch): v = ρ·v + g, θ = θ − η·v; 2 (nesterov): v = ρ·v + g, θ = θ − η·(g + ρ·v). With decay
// λ > 0, g = ∇ + (λ·θ)·2 (the L2 penalty's gradient), else g = ∇. Per element the same IEEE operations
// in the same order as the plain loop, so results are bit-identical to it.

@inline function lane(rule: i32, decayed: bool, theta: usize, grad: usize, v: usize, eta: f64, rho: f64, decay: f64): void {
  const t = load<f64>(theta);
  const g = decayed ? load<f64>(grad) + decay * t * 2.0 : load<f64>(grad);
  const next = rule == 0 ? rho * load<f64>(v) + eta * g : rho * load<f64>(v) + g;
  store<f64>(v, next);
  if (rule == 0) store<f64>(theta, t - next);
  else if (rule == 1) store<f64>(theta, t - eta * next);
  else store<f64>(theta, t - eta * (g + rho * next));
}

@inline function run(rule: i32, decayed: bool, theta: usize, grad: usize, v: usize, n: usize, eta: f64, rho: f64, decay: f64): void {
  const etas = f64x2.splat(eta);
  const rhos = f64x2.splat(rho);
  const decays = f64x2.splat(decay);
  const twos = f64x2.splat(2.0);
  const pairs = (n & ~(<usize>1)) << 3;
  for (let i: usize = 0; i < pairs; i += 16) {
    const t = v128.load(theta + i);
    let g = v128.load(grad + i);
    if (decayed) g = f64x2.add(g, f64x2.mul(f64x2.mul(decays, t), twos));
    const old = v128.load(v + i);
    const next = rule == 0 ? f64x2.add(f64x2.mul(rhos, old), f64x2.mul(etas, g)) : f64x2.add(f64x2.mul(rhos, old), g);
    v128.store(v + i, next);
    let step = next;
    if (rule == 1) step = f64x2.mul(etas, next);
    else if (rule == 2) step = f64x2.mul(etas, f64x2.add(g, f64x2.mul(rhos, next)));
    v128.store(theta + i, f64x2.sub(t, step));
  }
  if (n & 1) lane(rule, decayed, theta + pairs, grad + pairs, v + pairs, eta, rho, decay);
}

export function momentumStep(rule: i32, theta: usize, grad: usize, v: usize, n: i32, eta: f64, rho: f64, decay: f64): void {
  const count = <usize>n;
  // One specialized loop per case, so nothing is tested per element.
  if (decay == 0.0) {
    if (rule == 0) run(0, false, theta, grad, v, count, eta, rho, 0.0);
    else if (rule == 1) run(1, false, theta, grad, v, count, eta, rho, 0.0);
    else run(2, false, theta, grad, v, count, eta, rho, 0.0);
  } else if (rule == 0) run(0, true, theta, grad, v, count, eta, rho, decay);
  else if (rule == 1) run(1, true, theta, grad, v, count, eta, rho, decay);
  else run(2, true, theta, grad, v, count, eta, rho, decay);
}
