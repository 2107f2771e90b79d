// out[j] = Σ_i x[i·cols + j] (column sums of a rows×cols matrix), or += when `accumulate`.
// Eight columns at a time in four f64x2 accumulators walking down the rows; each column is summed in
// row order from 0 (or from out), so results are bit-identical to the plain loop.

export function sumRows(x: usize, out: usize, rows: i32, cols: i32, accumulate: bool): void {
  const r = <usize>rows;
  const q = <usize>cols;
  const ldx = q << 3;
  const end = x + r * ldx;
  let j: usize = 0;
  for (; j + 8 <= q; j += 8) {
    const o = out + (j << 3);
    const zero = f64x2.splat(0.0);
    let s0 = accumulate ? v128.load(o) : zero;
    let s1 = accumulate ? v128.load(o, 16) : zero;
    let s2 = accumulate ? v128.load(o, 32) : zero;
    let s3 = accumulate ? v128.load(o, 48) : zero;
    for (let p = x + (j << 3); p < end; p += ldx) {
      s0 = f64x2.add(s0, v128.load(p));
      s1 = f64x2.add(s1, v128.load(p, 16));
      s2 = f64x2.add(s2, v128.load(p, 32));
      s3 = f64x2.add(s3, v128.load(p, 48));
    }
    v128.store(o, s0);
    v128.store(o, s1, 16);
    v128.store(o, s2, 32);
    v128.store(o, s3, 48);
  }
  for (; j + 2 <= q; j += 2) {
    const o = out + (j << 3);
    let s = accumulate ? v128.load(o) : f64x2.splat(0.0);
    for (let p = x + (j << 3); p < end; p += ldx) s = f64x2.add(s, v128.load(p));
    v128.store(o, s);
  }
  if (j < q) {
    const o = out + (j << 3);
    let s = accumulate ? load<f64>(o) : 0.0;
    for (let p = x + (j << 3); p < end; p += ldx) s += load<f64>(p);
    store<f64>(o, s);
  }
}
