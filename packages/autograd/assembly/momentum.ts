// One SGD-with-momentum update of n float64 in place. rule 0 (report): v = ρ·v + η·g, θ = θ − v;
// 1 (pytorch): v = ρ·v + g, θ = θ − η·v; 2 (nesterov): v = ρ·v + g, θ = θ − η·(g + ρ·v). Per element
// the same IEEE operations in the same order as the plain loop, so results are bit-identical to it.

@inline function lane(rule: i32, theta: usize, grad: usize, v: usize, eta: f64, rho: f64): void {
  const g = load<f64>(grad);
  const next = rule == 0 ? rho * load<f64>(v) + eta * g : rho * load<f64>(v) + g;
  store<f64>(v, next);
  const t = load<f64>(theta);
  if (rule == 0) store<f64>(theta, t - next);
  else if (rule == 1) store<f64>(theta, t - eta * next);
  else store<f64>(theta, t - eta * (g + rho * next));
}

@inline function run(rule: i32, theta: usize, grad: usize, v: usize, n: usize, eta: f64, rho: f64): void {
  const etas = f64x2.splat(eta);
  const rhos = f64x2.splat(rho);
  const pairs = (n & ~(<usize>1)) << 3;
  for (let i: usize = 0; i < pairs; i += 16) {
    const g = v128.load(grad + i);
    const old = v128.load(v + i);
    const next = rule == 0 ? f64x2.add(f64x2.mul(rhos, old), f64x2.mul(etas, g)) : f64x2.add(f64x2.mul(rhos, old), g);
    v128.store(v + i, next);
    const t = v128.load(theta + i);
    let step = next;
    if (rule == 1) step = f64x2.mul(etas, next);
    else if (rule == 2) step = f64x2.mul(etas, f64x2.add(g, f64x2.mul(rhos, next)));
    v128.store(theta + i, f64x2.sub(t, step));
  }
  if (n & 1) lane(rule, theta + pairs, grad + pairs, v + pairs, eta, rho);
}

export function momentumStep(rule: i32, theta: usize, grad: usize, v: usize, n: i32, eta: f64, rho: f64): void {
  const count = <usize>n;
  // One specialized loop per rule, so the rule is not tested per element.
  if (rule == 0) run(0, theta, grad, v, count, eta, rho);
  else if (rule == 1) run(1, theta, grad, v, count, eta, rho);
  else run(2, theta, grad, v, count, eta, rho);
}
