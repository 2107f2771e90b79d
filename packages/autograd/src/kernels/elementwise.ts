/** Elementwise loops, with numpy broadcasting walked one innermost row at a time. Allocate nothing. */

export const BINARY = { add: 0, sub: 1, mul: 2, div: 3 } as const;
export type BinaryOp = (typeof BINARY)[keyof typeof BINARY];

export const UNARY = { neg: 0, exp: 1, log: 2, sqrt: 3, relu: 4, square: 5, tanh: 6, sigmoid: 7 } as const;
export type UnaryOp = (typeof UNARY)[keyof typeof UNARY];

/** out[i] = a[aOff + i·aStep] ∘ b[bOff + i·bStep] for i < len. */
function binaryRun(
  op: BinaryOp,
  out: Float64Array,
  outOff: number,
  a: Float64Array,
  aOff: number,
  aStep: number,
  b: Float64Array,
  bOff: number,
  bStep: number,
  len: number,
): void {
  switch (op) {
    case BINARY.add:
      for (let i = 0; i < len; i++) out[outOff + i] = a[aOff + i * aStep] + b[bOff + i * bStep];
      break;
    case BINARY.sub:
      for (let i = 0; i < len; i++) out[outOff + i] = a[aOff + i * aStep] - b[bOff + i * bStep];
      break;
    case BINARY.mul:
      for (let i = 0; i < len; i++) out[outOff + i] = a[aOff + i * aStep] * b[bOff + i * bStep];
      break;
    case BINARY.div:
      for (let i = 0; i < len; i++) out[outOff + i] = a[aOff + i * aStep] / b[bOff + i * bStep];
      break;
  }
}

/** Strides of `shape` aligned to the right of a `rank`-dimensional output, 0 along broadcast axes. */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const outDim = rank - shape.length + d;
    strides[outDim] = shape[d] === 1 && outShape[outDim] !== 1 ? 0 : stride;
    stride *= shape[d];
  }
  return strides;
}

/**
 * Visits each innermost row of `outShape`: calls visit(rowIndex, offsetA, offsetB) where the offsets
 * follow `stridesA`/`stridesB`. The odometer lives in `counter` (length ≥ rank) so nothing is allocated.
 */
function forEachRow(
  outShape: readonly number[],
  stridesA: readonly number[],
  stridesB: readonly number[],
  counter: Int32Array,
  visit: (row: number, offA: number, offB: number) => void,
): void {
  const rank = outShape.length;
  const inner = rank === 0 ? 1 : outShape[rank - 1];
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= outShape[d];
  if (inner === 0) return;
  counter.fill(0);
  let offA = 0;
  let offB = 0;
  for (let row = 0; row < rows; row++) {
    visit(row, offA, offB);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]++;
      offA += stridesA[d];
      offB += stridesB[d];
      if (counter[d] < outShape[d]) break;
      offA -= stridesA[d] * outShape[d];
      offB -= stridesB[d] * outShape[d];
      counter[d] = 0;
    }
  }
}

const odometer = new Int32Array(64);

/**
 * Whether x (of shape `shape`) broadcasts as one row repeated along every other axis of an output
 * whose innermost axis has length `inner`: a scalar, or inner values with every other axis 1.
 */
export function isRowOf(x: Float64Array, shape: readonly number[], inner: number): boolean {
  return x.length === 1 || (x.length === inner && shape.length > 0 && shape[shape.length - 1] === inner);
}

export function binaryBroadcast(
  op: BinaryOp,
  a: Float64Array,
  aShape: readonly number[],
  b: Float64Array,
  bShape: readonly number[],
  out: Float64Array,
  outShape: readonly number[],
): void {
  const n = out.length;
  if (a.length === n && b.length === n) {
    binaryRun(op, out, 0, a, 0, 1, b, 0, 1, n);
    return;
  }
  // The common broadcasts (a bias or a batch statistic against a batch, a scalar against anything)
  // without stride arrays or a row visitor.
  const inner = outShape.length === 0 ? 1 : outShape[outShape.length - 1];
  if (a.length === n && isRowOf(b, bShape, inner)) {
    if (b.length === 1) binaryRun(op, out, 0, a, 0, 1, b, 0, 0, n);
    else for (let off = 0; off < n; off += inner) binaryRun(op, out, off, a, off, 1, b, 0, 1, inner);
    return;
  }
  if (b.length === n && isRowOf(a, aShape, inner)) {
    if (a.length === 1) binaryRun(op, out, 0, a, 0, 0, b, 0, 1, n);
    else for (let off = 0; off < n; off += inner) binaryRun(op, out, off, a, 0, 1, b, off, 1, inner);
    return;
  }
  const stridesA = broadcastStrides(aShape, outShape);
  const stridesB = broadcastStrides(bShape, outShape);
  const rank = outShape.length;
  const stepA = rank === 0 ? 0 : stridesA[rank - 1];
  const stepB = rank === 0 ? 0 : stridesB[rank - 1];
  forEachRow(outShape, stridesA, stridesB, odometer, (row, offA, offB) => {
    binaryRun(op, out, row * inner, a, offA, stepA, b, offB, stepB, inner);
  });
}

/**
 * target (shape `targetShape`, broadcastable to `gradShape`) += the sum of `grad` over the axes along
 * which target was broadcast. The VJP of every broadcasting op ends here.
 */
export function sumToShape(
  grad: Float64Array,
  gradShape: readonly number[],
  target: Float64Array,
  targetShape: readonly number[],
): void {
  if (grad.length === target.length) {
    for (let i = 0; i < grad.length; i++) target[i] += grad[i];
    return;
  }
  const rank = gradShape.length;
  const inner = rank === 0 ? 1 : gradShape[rank - 1];
  // Column sums into a row (a bias's gradient), and row sums into a scalar, in the order of the general walk.
  if (inner > 0 && isRowOf(target, targetShape, inner)) {
    if (target.length === 1 && inner !== 1) {
      for (let base = 0; base < grad.length; base += inner) {
        let sum = 0;
        for (let j = 0; j < inner; j++) sum += grad[base + j];
        target[0] += sum;
      }
    } else {
      for (let base = 0; base < grad.length; base += inner) for (let j = 0; j < inner; j++) target[j] += grad[base + j];
    }
    return;
  }
  const strides = broadcastStrides(targetShape, gradShape);
  const step = rank === 0 ? 0 : strides[rank - 1];
  forEachRow(gradShape, strides, strides, odometer, (row, off) => {
    const base = row * inner;
    if (step === 0) {
      let sum = 0;
      for (let j = 0; j < inner; j++) sum += grad[base + j];
      target[off] += sum;
    } else {
      for (let j = 0; j < inner; j++) target[off + j] += grad[base + j];
    }
  });
}

export function unaryMap(op: UnaryOp, x: Float64Array, out: Float64Array): void {
  const n = x.length;
  switch (op) {
    case UNARY.neg:
      for (let i = 0; i < n; i++) out[i] = -x[i];
      break;
    case UNARY.exp:
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      break;
    case UNARY.log:
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      break;
    case UNARY.sqrt:
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      break;
    case UNARY.relu:
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0;
      break;
    case UNARY.square:
      for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
      break;
    case UNARY.tanh:
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      break;
    case UNARY.sigmoid:
      // Written so that neither branch overflows: for x < 0, e^x/(1 + e^x).
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          out[i] = e / (1 + e);
        }
      }
      break;
  }
}

/** out[i] = x[i]·scale + shift. */
export function affineMap(x: Float64Array, scale: number, shift: number, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] * scale + shift;
}

/** out[i] = x[i]^p. */
export function powMap(x: Float64Array, p: number, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) out[i] = Math.pow(x[i], p);
}

/** out[i] = a[i]·b[i]·scale (+= when accumulate). */
export function mulScaled(a: Float64Array, b: Float64Array, scale: number, out: Float64Array, accumulate: boolean): void {
  if (accumulate) for (let i = 0; i < a.length; i++) out[i] += a[i] * b[i] * scale;
  else for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i] * scale;
}

/** out (shape `outShape`) = src (shape `srcShape`) broadcast, i.e. repeated along broadcast axes. */
export function broadcastCopy(
  src: Float64Array,
  srcShape: readonly number[],
  out: Float64Array,
  outShape: readonly number[],
): void {
  if (src.length === out.length) {
    out.set(src);
    return;
  }
  const strides = broadcastStrides(srcShape, outShape);
  const rank = outShape.length;
  const inner = rank === 0 ? 1 : outShape[rank - 1];
  const step = rank === 0 ? 0 : strides[rank - 1];
  forEachRow(outShape, strides, strides, odometer, (row, off) => {
    const base = row * inner;
    for (let j = 0; j < inner; j++) out[base + j] = src[off + j * step];
  });
}

/** out[i] = a[i] / b[i] · scale. */
export function divScaled(a: Float64Array, b: Float64Array, scale: number, out: Float64Array): void {
  for (let i = 0; i < a.length; i++) out[i] = (a[i] / b[i]) * scale;
}

/** out[i] = dy[i] where x[i] > 0, else 0. */
export function reluBackward(x: Float64Array, dy: Float64Array, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? dy[i] : 0;
}

/** out[i] = dy[i]·(1 − y[i]²), the VJP of y = tanh(x). */
export function tanhBackward(y: Float64Array, dy: Float64Array, out: Float64Array): void {
  for (let i = 0; i < y.length; i++) out[i] = dy[i] * (1 - y[i] * y[i]);
}

/** out[i] = dy[i]·y[i]·(1 − y[i]), the VJP of y = sigmoid(x). */
export function sigmoidBackward(y: Float64Array, dy: Float64Array, out: Float64Array): void {
  for (let i = 0; i < y.length; i++) out[i] = dy[i] * y[i] * (1 - y[i]);
}

/** out[i] = dy·x[i]·2, the VJP of Σ x² (in the order square's VJP multiplies). */
export function sumSquaresBackward(x: Float64Array, dy: number, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) out[i] = dy * x[i] * 2;
}
