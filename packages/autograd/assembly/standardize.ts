// out[r·dim + j] = (f64(src[r·dim + j]) − mean[j]) / std[j] for r < rows, j < dim: byte rows (packed
// contiguously by the host) standardized into float64. The same two IEEE operations per element as
// the plain loop, so the rows are bit-identical to it.

@inline function eight(src: usize, mean: usize, std: usize, out: usize): void {
  const words = v128.load8x8_u(src);
  const lo = i32x4.extend_low_i16x8_u(words);
  const hi = i32x4.extend_high_i16x8_u(words);
  const x0 = f64x2.convert_low_i32x4_u(lo);
  const x1 = f64x2.convert_low_i32x4_u(v128.shuffle<i32>(lo, lo, 2, 3, 2, 3));
  const x2 = f64x2.convert_low_i32x4_u(hi);
  const x3 = f64x2.convert_low_i32x4_u(v128.shuffle<i32>(hi, hi, 2, 3, 2, 3));
  v128.store(out, f64x2.div(f64x2.sub(x0, v128.load(mean)), v128.load(std)));
  v128.store(out, f64x2.div(f64x2.sub(x1, v128.load(mean, 16)), v128.load(std, 16)), 16);
  v128.store(out, f64x2.div(f64x2.sub(x2, v128.load(mean, 32)), v128.load(std, 32)), 32);
  v128.store(out, f64x2.div(f64x2.sub(x3, v128.load(mean, 48)), v128.load(std, 48)), 48);
}

export function standardizeBytes(src: usize, rows: i32, dim: i32, mean: usize, std: usize, out: usize): void {
  const d = <usize>dim;
  const full = d & ~(<usize>7);
  let s = src;
  let o = out;
  for (let r = 0; r < rows; r++) {
    let j: usize = 0;
    for (; j < full; j += 8) eight(s + j, mean + (j << 3), std + (j << 3), o + (j << 3));
    for (; j < d; j++) store<f64>(o + (j << 3), (<f64>load<u8>(s + j) - load<f64>(mean + (j << 3))) / load<f64>(std + (j << 3)));
    s += d;
    o += d << 3;
  }
}
