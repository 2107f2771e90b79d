// dst (cols×rows) = srcᵀ for src (rows×cols); row-major, contiguous, byte pointers, no overlap.
// 16×16 tiles keep both sides in L1 even when power-of-two strides map rows to one cache set; inside a tile, 2×2 blocks are swapped with two shuffles.

const TILE: usize = 16;

export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  const r = <usize>rows;
  const q = <usize>cols;
  const lds = q << 3;
  const ldd = r << 3;
  for (let i0: usize = 0; i0 < r; i0 += TILE) {
    const i1 = min(i0 + TILE, r);
    for (let j0: usize = 0; j0 < q; j0 += TILE) {
      const j1 = min(j0 + TILE, q);
      let i = i0;
      for (; i + 2 <= i1; i += 2) {
        const s0 = src + i * lds;
        const s1 = s0 + lds;
        let j = j0;
        for (; j + 2 <= j1; j += 2) {
          const x = v128.load(s0 + (j << 3));
          const y = v128.load(s1 + (j << 3));
          const d = dst + j * ldd + (i << 3);
          v128.store(d, v128.shuffle<f64>(x, y, 0, 2));
          v128.store(d + ldd, v128.shuffle<f64>(x, y, 1, 3));
        }
        if (j < j1) {
          const d = dst + j * ldd + (i << 3);
          store<f64>(d, load<f64>(s0 + (j << 3)));
          store<f64>(d, load<f64>(s1 + (j << 3)), 8);
        }
      }
      if (i < i1) {
        const s0 = src + i * lds;
        for (let j = j0; j < j1; j++) store<f64>(dst + j * ldd + (i << 3), load<f64>(s0 + (j << 3)));
      }
    }
  }
}
