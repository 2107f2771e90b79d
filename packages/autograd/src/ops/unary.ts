import { Tensor } from "../tensor.js";
import { recordOp } from "../tape.js";
import { UNARY, type UnaryOp, affineMap, divScaled, mulScaled, powMap, sigmoidBackward, tanhBackward } from "../kernels/elementwise.js";
import { RELU_BACKWARD_KERNEL, UNARY_KERNEL } from "../kernels/elementwise-kernels.js";
import { kernel } from "../kernels/registry.js";

function map(kind: UnaryOp, x: Tensor): Tensor {
  const out = Tensor.empty(x.shape);
  kernel(UNARY_KERNEL)(kind, x.data, out.data);
  return out;
}

/** dy ⊙ factor ⊙ scale. */
function scaledProduct(dy: Tensor, factor: Tensor, scale: number): Tensor {
  const out = Tensor.empty(dy.shape);
  mulScaled(dy.data, factor.data, scale, out.data, false);
  return out;
}

export function neg(x: Tensor): Tensor {
  return recordOp("neg", [x], map(UNARY.neg, x), (dy) => [map(UNARY.neg, dy)]);
}

export function exp(x: Tensor): Tensor {
  const out = map(UNARY.exp, x);
  return recordOp("exp", [x], out, (dy) => [scaledProduct(dy, out, 1)]);
}

export function log(x: Tensor): Tensor {
  const out = map(UNARY.log, x);
  return recordOp("log", [x], out, (dy) => {
    const g = Tensor.empty(x.shape);
    divScaled(dy.data, x.data, 1, g.data);
    return [g];
  });
}

export function sqrt(x: Tensor): Tensor {
  const out = map(UNARY.sqrt, x);
  return recordOp("sqrt", [x], out, (dy) => {
    const g = Tensor.empty(x.shape);
    divScaled(dy.data, out.data, 0.5, g.data);
    return [g];
  });
}

export function square(x: Tensor): Tensor {
  return recordOp("square", [x], map(UNARY.square, x), (dy) => [scaledProduct(dy, x, 2)]);
}

/** x^p for a constant exponent p. */
export function pow(x: Tensor, p: number): Tensor {
  const out = Tensor.empty(x.shape);
  powMap(x.data, p, out.data);
  return recordOp("pow", [x], out, (dy) => {
    const d = Tensor.empty(x.shape);
    powMap(x.data, p - 1, d.data);
    return [scaledProduct(dy, d, p)];
  });
}

export function relu(x: Tensor): Tensor {
  return recordOp("relu", [x], map(UNARY.relu, x), (dy) => {
    const g = Tensor.empty(x.shape);
    kernel(RELU_BACKWARD_KERNEL)(x.data, dy.data, g.data);
    return [g];
  });
}

/** x·scale + shift with constant numbers: the cheap path for scalar arithmetic. */
export function affine(x: Tensor, scale: number, shift = 0): Tensor {
  const out = Tensor.empty(x.shape);
  affineMap(x.data, scale, shift, out.data);
  return recordOp("affine", [x], out, (dy) => {
    const g = Tensor.empty(x.shape);
    affineMap(dy.data, scale, 0, g.data);
    return [g];
  });
}

export function scale(x: Tensor, factor: number): Tensor {
  return affine(x, factor, 0);
}

export function tanh(x: Tensor): Tensor {
  const out = map(UNARY.tanh, x);
  return recordOp("tanh", [x], out, (dy) => {
    const g = Tensor.empty(x.shape);
    tanhBackward(out.data, dy.data, g.data);
    return [g];
  });
}

/** The logistic function 1/(1 + e^−x), computed without overflow for large |x|. */
export function sigmoid(x: Tensor): Tensor {
  const out = map(UNARY.sigmoid, x);
  return recordOp("sigmoid", [x], out, (dy) => {
    const g = Tensor.empty(x.shape);
    sigmoidBackward(out.data, dy.data, g.data);
    return [g];
  });
}
