// Register blocks of the outer-product gemm: C[i.., j..] (+)= Σ_p A(i, p)·B(p, j), p ascending, each C
// element summed from 0 (or from C) without FMA, so the result is bit-identical to the plain JS loop.
// A(i+r, p) is at a + r·aRow + p·aStep and B(p, j+q) at b + p·bStep + q·8: the same blocks read A
// row-major (aRow = row bytes, aStep = 8), from a packed panel (8, 32) or strided (8, row bytes),
// and B in place (bStep = row bytes) or from a packed panel (32).

@inline function start(c: usize, accumulate: bool): v128 {
  return accumulate ? v128.load(c) : f64x2.splat(0.0);
}

@inline function startScalar(c: usize, accumulate: bool): f64 {
  return accumulate ? load<f64>(c) : 0.0;
}

@inline function mac(acc: v128, x: v128, y: v128): v128 {
  return f64x2.add(acc, f64x2.mul(x, y));
}

// 4×4: per p two B vectors and four A splats feed eight accumulators.
@inline export function block4x4(a: usize, aRow: usize, aStep: usize, b: usize, bStep: usize, c: usize, ldc: usize, k: usize, accumulate: bool): void {
  const c1 = c + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  let s00 = start(c, accumulate);
  let s01 = start(c + 16, accumulate);
  let s10 = start(c1, accumulate);
  let s11 = start(c1 + 16, accumulate);
  let s20 = start(c2, accumulate);
  let s21 = start(c2 + 16, accumulate);
  let s30 = start(c3, accumulate);
  let s31 = start(c3 + 16, accumulate);
  let pa = a;
  let pb = b;
  for (let p: usize = 0; p < k; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let x = v128.load64_splat(pa);
    s00 = mac(s00, x, b0);
    s01 = mac(s01, x, b1);
    x = v128.load64_splat(pa + aRow);
    s10 = mac(s10, x, b0);
    s11 = mac(s11, x, b1);
    x = v128.load64_splat(pa + 2 * aRow);
    s20 = mac(s20, x, b0);
    s21 = mac(s21, x, b1);
    x = v128.load64_splat(pa + 3 * aRow);
    s30 = mac(s30, x, b0);
    s31 = mac(s31, x, b1);
    pa += aStep;
    pb += bStep;
  }
  v128.store(c, s00);
  v128.store(c, s01, 16);
  v128.store(c1, s10);
  v128.store(c1, s11, 16);
  v128.store(c2, s20);
  v128.store(c2, s21, 16);
  v128.store(c3, s30);
  v128.store(c3, s31, 16);
}

@inline export function block4x2(a: usize, aRow: usize, aStep: usize, b: usize, bStep: usize, c: usize, ldc: usize, k: usize, accumulate: bool): void {
  const c1 = c + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  let s0 = start(c, accumulate);
  let s1 = start(c1, accumulate);
  let s2 = start(c2, accumulate);
  let s3 = start(c3, accumulate);
  let pa = a;
  let pb = b;
  for (let p: usize = 0; p < k; p++) {
    const y = v128.load(pb);
    s0 = mac(s0, v128.load64_splat(pa), y);
    s1 = mac(s1, v128.load64_splat(pa + aRow), y);
    s2 = mac(s2, v128.load64_splat(pa + 2 * aRow), y);
    s3 = mac(s3, v128.load64_splat(pa + 3 * aRow), y);
    pa += aStep;
    pb += bStep;
  }
  v128.store(c, s0);
  v128.store(c1, s1);
  v128.store(c2, s2);
  v128.store(c3, s3);
}

@inline export function block4x1(a: usize, aRow: usize, aStep: usize, b: usize, bStep: usize, c: usize, ldc: usize, k: usize, accumulate: bool): void {
  let s0 = startScalar(c, accumulate);
  let s1 = startScalar(c + ldc, accumulate);
  let s2 = startScalar(c + 2 * ldc, accumulate);
  let s3 = startScalar(c + 3 * ldc, accumulate);
  let pa = a;
  let pb = b;
  for (let p: usize = 0; p < k; p++) {
    const y = load<f64>(pb);
    s0 += load<f64>(pa) * y;
    s1 += load<f64>(pa + aRow) * y;
    s2 += load<f64>(pa + 2 * aRow) * y;
    s3 += load<f64>(pa + 3 * aRow) * y;
    pa += aStep;
    pb += bStep;
  }
  store<f64>(c, s0);
  store<f64>(c + ldc, s1);
  store<f64>(c + 2 * ldc, s2);
  store<f64>(c + 3 * ldc, s3);
}

@inline export function block1x4(a: usize, aStep: usize, b: usize, bStep: usize, c: usize, k: usize, accumulate: bool): void {
  let s0 = start(c, accumulate);
  let s1 = start(c + 16, accumulate);
  let pa = a;
  let pb = b;
  for (let p: usize = 0; p < k; p++) {
    const x = v128.load64_splat(pa);
    s0 = mac(s0, x, v128.load(pb));
    s1 = mac(s1, x, v128.load(pb, 16));
    pa += aStep;
    pb += bStep;
  }
  v128.store(c, s0);
  v128.store(c, s1, 16);
}

@inline export function block1x2(a: usize, aStep: usize, b: usize, bStep: usize, c: usize, k: usize, accumulate: bool): void {
  let s = start(c, accumulate);
  let pa = a;
  let pb = b;
  for (let p: usize = 0; p < k; p++) {
    s = mac(s, v128.load64_splat(pa), v128.load(pb));
    pa += aStep;
    pb += bStep;
  }
  v128.store(c, s);
}

@inline export function block1x1(a: usize, aStep: usize, b: usize, bStep: usize, c: usize, k: usize, accumulate: bool): void {
  let s = startScalar(c, accumulate);
  let pa = a;
  let pb = b;
  for (let p: usize = 0; p < k; p++) {
    s += load<f64>(pa) * load<f64>(pb);
    pa += aStep;
    pb += bStep;
  }
  store<f64>(c, s);
}
