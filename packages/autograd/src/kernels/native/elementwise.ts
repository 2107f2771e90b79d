import { UNARY, binaryBroadcast, isRowOf, reluBackward, sumToShape, unaryMap, type BinaryOp, type UnaryOp } from "../elementwise.js";
import {
  BINARY_KERNEL,
  MEAN_BACKWARD_KERNEL,
  MOMENTS_KERNEL,
  RELU_BACKWARD_KERNEL,
  SUM_TO_SHAPE_KERNEL,
  UNARY_KERNEL,
  VARIANCE_BACKWARD_KERNEL,
} from "../elementwise-kernels.js";
import { columnMoments, meanBackward, varianceBackward } from "../moments.js";
import { registerKernel } from "../registry.js";
import type { NativeAddon } from "./addon.js";

// Below this many elements a call into the addon costs more than the TypeScript loop it replaces.
const NATIVE_MIN_LENGTH = 512;

// The broadcasts the addon's binary() takes (gradspec_native.c).
const SAME = 0;
const B_ROW = 1;
const A_ROW = 2;
const B_SCALAR = 3;
const A_SCALAR = 4;

// Unary ops IEEE rounds exactly, so C gives the TypeScript loop's bits; the others call Math functions.
const EXACT_UNARY = new Set<UnaryOp>([UNARY.neg, UNARY.sqrt, UNARY.relu, UNARY.square]);

/**
 * Registers the addon's elementwise loops under the elementwise kernels' names: the fast paths of
 * elementwise.ts (same shape, a row or a scalar against a batch) and the batch statistics of
 * moments.ts in C, in the same order of operations, so bit for bit the plain results; everything else
 * (and anything small) runs the plain loops.
 */
export function registerNativeElementwise(addon: () => NativeAddon): void {
  registerKernel(BINARY_KERNEL, {
    native(op: BinaryOp, a, aShape, b, bShape, out, outShape) {
      const n = out.length;
      if (n >= NATIVE_MIN_LENGTH) {
        const inner = outShape.length === 0 ? 1 : outShape[outShape.length - 1];
        if (a.length === n && b.length === n) return addon().binary(op, a, b, out, SAME, n);
        if (a.length === n && isRowOf(b, bShape, inner)) return addon().binary(op, a, b, out, b.length === 1 ? B_SCALAR : B_ROW, inner);
        if (b.length === n && isRowOf(a, aShape, inner)) return addon().binary(op, a, b, out, a.length === 1 ? A_SCALAR : A_ROW, inner);
      }
      binaryBroadcast(op, a, aShape, b, bShape, out, outShape);
    },
  });
  registerKernel(SUM_TO_SHAPE_KERNEL, {
    native(grad, gradShape, target, targetShape) {
      if (grad.length >= NATIVE_MIN_LENGTH) {
        if (grad.length === target.length) return addon().sumInto(grad, target, 0, 1);
        const inner = gradShape.length === 0 ? 1 : gradShape[gradShape.length - 1];
        if (inner > 0 && isRowOf(target, targetShape, inner)) return addon().sumInto(grad, target, target.length === 1 && inner !== 1 ? 2 : 1, inner);
      }
      sumToShape(grad, gradShape, target, targetShape);
    },
  });
  registerKernel(UNARY_KERNEL, {
    native(op, x, out) {
      if (x.length >= NATIVE_MIN_LENGTH && EXACT_UNARY.has(op)) addon().unary(op, x, out);
      else unaryMap(op, x, out);
    },
  });
  registerKernel(RELU_BACKWARD_KERNEL, {
    native(x, dy, out) {
      if (x.length >= NATIVE_MIN_LENGTH) addon().reluBackward(x, dy, out);
      else reluBackward(x, dy, out);
    },
  });
  registerKernel(MOMENTS_KERNEL, {
    native(x, rows, cols, mean, variance) {
      if (rows * cols >= NATIVE_MIN_LENGTH) addon().moments(x, rows, cols, mean, variance);
      else columnMoments(x, rows, cols, mean, variance);
    },
  });
  registerKernel(MEAN_BACKWARD_KERNEL, {
    native(rows, cols, dMean, g) {
      if (rows * cols >= NATIVE_MIN_LENGTH) addon().meanBackward(rows, cols, dMean, g);
      else meanBackward(rows, cols, dMean, g);
    },
  });
  registerKernel(VARIANCE_BACKWARD_KERNEL, {
    native(x, rows, cols, mean, dVariance, g) {
      if (rows * cols >= NATIVE_MIN_LENGTH) addon().varianceBackward(x, rows, cols, mean, dVariance, g);
      else varianceBackward(x, rows, cols, mean, dVariance, g);
    },
  });
}
