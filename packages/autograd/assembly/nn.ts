// C (m×n) = op(A)·B, or C += when `accumulate`, for op(A) = A (A stored m×k, gemmNN) or Aᵀ (A stored
// k×m, gemmTN); B stored k×n. Row-major, contiguous, byte pointers.
// When there are at least two row blocks, B's full 4-column strips are first packed into contiguous
// k×4 panels: the kernel then streams B linearly instead of striding a whole row per k-step, which
// at power-of-two widths maps every step to the same cache set. For TN, each 4-row block of Aᵀ is
// copied into a k×4 panel (contiguous in A already, so a plain copy), avoiding the same strided walk.
// gemmTN reads a B of up to about L1's size in place instead (3072×50×100, the first layer's weight
// gradient: ~12% faster than packed, same results), unless its rows are a multiple of 512 bytes apart.

import { block4x4, block4x2, block4x1, block1x4, block1x2, block1x1 } from "./blocks";

const PACK_MIN_ROWS: usize = 8;
const TN_IN_PLACE_MAX_BYTES: usize = 48 * 1024;

function packsB(transA: bool, m: i32, n: i32, k: i32): bool {
  if (<usize>m < PACK_MIN_ROWS) return false;
  if (!transA) return true;
  const ldb = <usize>n << 3;
  return ldb * <usize>k > TN_IN_PLACE_MAX_BYTES || (ldb & 511) == 0;
}

/** Bytes of scratch `gemmNN`/`gemmTN` need: packed B panels plus one A panel. */
export function outerScratchBytes(transA: bool, m: i32, n: i32, k: i32): usize {
  const depth = <usize>k;
  const panelsB = packsB(transA, m, n, k) ? (<usize>n >> 2) * (depth << 5) : 0;
  return panelsB + (depth << 5);
}

// Copies the 4-column strip of a k×n matrix starting at `src` into a k×4 panel.
@inline function packStrip(src: usize, ld: usize, dst: usize, k: usize): void {
  let s = src;
  let d = dst;
  const end = dst + (k << 5);
  while (d < end) {
    v128.store(d, v128.load(s));
    v128.store(d, v128.load(s, 16), 16);
    s += ld;
    d += 32;
  }
}

@inline function outer(transA: bool, packB: bool, a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, accumulate: bool, scratch: usize): void {
  const rows = <usize>m;
  const cols = <usize>n;
  const depth = <usize>k;
  const ldb = cols << 3;
  const ldc = cols << 3;
  // A(i, p) at a + i·aRow + p·aStep.
  const aRow: usize = transA ? 8 : depth << 3;
  const aStep: usize = transA ? rows << 3 : 8;
  const fullCols = cols & ~(<usize>3);
  const panelBytes = depth << 5;
  const panelA = packB ? scratch + (fullCols >> 2) * panelBytes : scratch;
  if (packB) {
    for (let j: usize = 0; j < fullCols; j += 4) packStrip(b + (j << 3), ldb, scratch + (j >> 2) * panelBytes, depth);
  }
  let i: usize = 0;
  for (; i + 4 <= rows; i += 4) {
    const ci = c + i * ldc;
    let ai = a + i * aRow;
    let rowStep = aRow;
    let pStep = aStep;
    if (transA) {
      packStrip(ai, aStep, panelA, depth);
      ai = panelA;
      rowStep = 8;
      pStep = 32;
    }
    let j: usize = 0;
    for (; j < fullCols; j += 4) {
      if (packB) block4x4(ai, rowStep, pStep, scratch + (j >> 2) * panelBytes, 32, ci + (j << 3), ldc, depth, accumulate);
      else block4x4(ai, rowStep, pStep, b + (j << 3), ldb, ci + (j << 3), ldc, depth, accumulate);
    }
    if (j + 2 <= cols) {
      block4x2(ai, rowStep, pStep, b + (j << 3), ldb, ci + (j << 3), ldc, depth, accumulate);
      j += 2;
    }
    if (j < cols) block4x1(ai, rowStep, pStep, b + (j << 3), ldb, ci + (j << 3), ldc, depth, accumulate);
  }
  for (; i < rows; i++) {
    const ai = a + i * aRow;
    const ci = c + i * ldc;
    let j: usize = 0;
    for (; j < fullCols; j += 4) {
      if (packB) block1x4(ai, aStep, scratch + (j >> 2) * panelBytes, 32, ci + (j << 3), depth, accumulate);
      else block1x4(ai, aStep, b + (j << 3), ldb, ci + (j << 3), depth, accumulate);
    }
    if (j + 2 <= cols) {
      block1x2(ai, aStep, b + (j << 3), ldb, ci + (j << 3), depth, accumulate);
      j += 2;
    }
    if (j < cols) block1x1(ai, aStep, b + (j << 3), ldb, ci + (j << 3), depth, accumulate);
  }
}

export function gemmNN(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, accumulate: bool, scratch: usize): void {
  if (packsB(false, m, n, k)) outer(false, true, a, b, c, m, n, k, accumulate, scratch);
  else outer(false, false, a, b, c, m, n, k, accumulate, scratch);
}

export function gemmTN(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, accumulate: bool, scratch: usize): void {
  if (packsB(true, m, n, k)) outer(true, true, a, b, c, m, n, k, accumulate, scratch);
  else outer(true, false, a, b, c, m, n, k, accumulate, scratch);
}
