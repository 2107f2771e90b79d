import { transpose } from "./transpose";

// C (m×n) = A (m×k) · Bᵀ, B stored n×k, or C += when `accumulate`; row-major, contiguous, byte pointers.
// gemmTT (A stored k×m) first transposes A into scratch; it is rare enough not to need its own kernel.
// Dot-product form: both operands are read along k, so vectors run along k (even and odd p in the two
// lanes) and each C element ends with a horizontal sum. A 2×4 block keeps eight accumulators live.

@inline function mac(acc: v128, x: v128, y: v128): v128 {
  return f64x2.add(acc, f64x2.mul(x, y));
}

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

@inline function put(c: usize, value: f64, accumulate: bool): void {
  store<f64>(c, accumulate ? load<f64>(c) + value : value);
}

// Rows a0, a0+lda of A against rows b0..b0+3·lda of B; `even` = k rounded down to even, in bytes.
@inline function block2x4(a0: usize, b0: usize, c: usize, even: usize, tail: bool, lda: usize, ldc: usize, accumulate: bool): void {
  const a1 = a0 + lda;
  const b1 = b0 + lda;
  const b2 = b1 + lda;
  const b3 = b2 + lda;
  const zero = f64x2.splat(0.0);
  let s00 = zero, s01 = zero, s02 = zero, s03 = zero;
  let s10 = zero, s11 = zero, s12 = zero, s13 = zero;
  for (let p: usize = 0; p < even; p += 16) {
    const x0 = v128.load(a0 + p);
    const x1 = v128.load(a1 + p);
    let y = v128.load(b0 + p);
    s00 = mac(s00, x0, y);
    s10 = mac(s10, x1, y);
    y = v128.load(b1 + p);
    s01 = mac(s01, x0, y);
    s11 = mac(s11, x1, y);
    y = v128.load(b2 + p);
    s02 = mac(s02, x0, y);
    s12 = mac(s12, x1, y);
    y = v128.load(b3 + p);
    s03 = mac(s03, x0, y);
    s13 = mac(s13, x1, y);
  }
  let d00 = hsum(s00), d01 = hsum(s01), d02 = hsum(s02), d03 = hsum(s03);
  let d10 = hsum(s10), d11 = hsum(s11), d12 = hsum(s12), d13 = hsum(s13);
  if (tail) {
    const x0 = load<f64>(a0 + even);
    const x1 = load<f64>(a1 + even);
    const y0 = load<f64>(b0 + even);
    const y1 = load<f64>(b1 + even);
    const y2 = load<f64>(b2 + even);
    const y3 = load<f64>(b3 + even);
    d00 += x0 * y0; d01 += x0 * y1; d02 += x0 * y2; d03 += x0 * y3;
    d10 += x1 * y0; d11 += x1 * y1; d12 += x1 * y2; d13 += x1 * y3;
  }
  const c1 = c + ldc;
  put(c, d00, accumulate);
  put(c + 8, d01, accumulate);
  put(c + 16, d02, accumulate);
  put(c + 24, d03, accumulate);
  put(c1, d10, accumulate);
  put(c1 + 8, d11, accumulate);
  put(c1 + 16, d12, accumulate);
  put(c1 + 24, d13, accumulate);
}

// Rows a0, a0+lda of A against row b0 of B.
@inline function block2x1(a0: usize, b0: usize, c: usize, even: usize, tail: bool, lda: usize, ldc: usize, accumulate: bool): void {
  const a1 = a0 + lda;
  let s0 = f64x2.splat(0.0);
  let s1 = f64x2.splat(0.0);
  for (let p: usize = 0; p < even; p += 16) {
    const y = v128.load(b0 + p);
    s0 = mac(s0, v128.load(a0 + p), y);
    s1 = mac(s1, v128.load(a1 + p), y);
  }
  let d0 = hsum(s0);
  let d1 = hsum(s1);
  if (tail) {
    const y = load<f64>(b0 + even);
    d0 += load<f64>(a0 + even) * y;
    d1 += load<f64>(a1 + even) * y;
  }
  put(c, d0, accumulate);
  put(c + ldc, d1, accumulate);
}

// Row a0 of A against rows b0..b0+3·lda of B.
@inline function block1x4(a0: usize, b0: usize, c: usize, even: usize, tail: bool, lda: usize, accumulate: bool): void {
  const b1 = b0 + lda;
  const b2 = b1 + lda;
  const b3 = b2 + lda;
  const zero = f64x2.splat(0.0);
  let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
  for (let p: usize = 0; p < even; p += 16) {
    const x = v128.load(a0 + p);
    s0 = mac(s0, x, v128.load(b0 + p));
    s1 = mac(s1, x, v128.load(b1 + p));
    s2 = mac(s2, x, v128.load(b2 + p));
    s3 = mac(s3, x, v128.load(b3 + p));
  }
  let d0 = hsum(s0), d1 = hsum(s1), d2 = hsum(s2), d3 = hsum(s3);
  if (tail) {
    const x = load<f64>(a0 + even);
    d0 += x * load<f64>(b0 + even);
    d1 += x * load<f64>(b1 + even);
    d2 += x * load<f64>(b2 + even);
    d3 += x * load<f64>(b3 + even);
  }
  put(c, d0, accumulate);
  put(c + 8, d1, accumulate);
  put(c + 16, d2, accumulate);
  put(c + 24, d3, accumulate);
}

@inline function block1x1(a0: usize, b0: usize, c: usize, even: usize, tail: bool, accumulate: bool): void {
  let s = f64x2.splat(0.0);
  for (let p: usize = 0; p < even; p += 16) s = mac(s, v128.load(a0 + p), v128.load(b0 + p));
  let d = hsum(s);
  if (tail) d += load<f64>(a0 + even) * load<f64>(b0 + even);
  put(c, d, accumulate);
}

export function gemmNT(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, accumulate: bool): void {
  const rows = <usize>m;
  const cols = <usize>n;
  const depth = <usize>k;
  const lda = depth << 3;
  const ldc = cols << 3;
  const even = (depth & ~(<usize>1)) << 3;
  const tail = (depth & 1) != 0;
  let i: usize = 0;
  for (; i + 2 <= rows; i += 2) {
    const ai = a + i * lda;
    const ci = c + i * ldc;
    let j: usize = 0;
    for (; j + 4 <= cols; j += 4) block2x4(ai, b + j * lda, ci + (j << 3), even, tail, lda, ldc, accumulate);
    for (; j < cols; j++) block2x1(ai, b + j * lda, ci + (j << 3), even, tail, lda, ldc, accumulate);
  }
  if (i < rows) {
    const ai = a + i * lda;
    const ci = c + i * ldc;
    let j: usize = 0;
    for (; j + 4 <= cols; j += 4) block1x4(ai, b + j * lda, ci + (j << 3), even, tail, lda, accumulate);
    for (; j < cols; j++) block1x1(ai, b + j * lda, ci + (j << 3), even, tail, accumulate);
  }
}

export function gemmTT(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, accumulate: bool, scratch: usize): void {
  transpose(a, scratch, k, m);
  gemmNT(scratch, b, c, m, n, k, accumulate);
}
