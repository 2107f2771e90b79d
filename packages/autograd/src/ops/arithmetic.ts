import { Tensor } from "../tensor.js";
import { recordOp } from "../tape.js";
import { BINARY, UNARY, type BinaryOp } from "../kernels/elementwise.js";
import { BINARY_KERNEL, SUM_TO_SHAPE_KERNEL, UNARY_KERNEL } from "../kernels/elementwise-kernels.js";
import { kernel } from "../kernels/registry.js";
import { asTensor, broadcastShapes } from "./shape.js";

function binary(op: string, kind: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = Tensor.empty(shape);
  kernel(BINARY_KERNEL)(kind, a.data, a.shape, b.data, b.shape, out.data, shape);
  return out;
}

/** Sum of `g` (shaped like the op's output) down to `like`'s shape. */
function reduceTo(g: Tensor, like: Tensor): Tensor {
  if (g.size === like.size) return g;
  const out = Tensor.zeros(like.shape);
  kernel(SUM_TO_SHAPE_KERNEL)(g.data, g.shape, out.data, like.shape);
  return out;
}

export function add(x: Tensor | number, y: Tensor | number): Tensor {
  const a = asTensor(x);
  const b = asTensor(y);
  const out = binary("add", BINARY.add, a, b);
  return recordOp("add", [a, b], out, (dy, need) => [need[0] ? reduceTo(dy, a) : null, need[1] ? reduceTo(dy, b) : null]);
}

export function sub(x: Tensor | number, y: Tensor | number): Tensor {
  const a = asTensor(x);
  const b = asTensor(y);
  const out = binary("sub", BINARY.sub, a, b);
  return recordOp("sub", [a, b], out, (dy, need) => [
    need[0] ? reduceTo(dy, a) : null,
    need[1] ? reduceTo(negate(dy), b) : null,
  ]);
}

export function mul(x: Tensor | number, y: Tensor | number): Tensor {
  const a = asTensor(x);
  const b = asTensor(y);
  const out = binary("mul", BINARY.mul, a, b);
  return recordOp("mul", [a, b], out, (dy, need) => [
    need[0] ? reduceTo(binary("mul", BINARY.mul, dy, b), a) : null,
    need[1] ? reduceTo(binary("mul", BINARY.mul, dy, a), b) : null,
  ]);
}

export function div(x: Tensor | number, y: Tensor | number): Tensor {
  const a = asTensor(x);
  const b = asTensor(y);
  const out = binary("div", BINARY.div, a, b);
  return recordOp("div", [a, b], out, (dy, need) => {
    const da = need[0] ? reduceTo(binary("div", BINARY.div, dy, b), a) : null;
    // d(a/b)/db = -(a/b)/b = -out/b
    const db = need[1] ? reduceTo(negate(binary("div", BINARY.div, binary("mul", BINARY.mul, dy, out), b)), b) : null;
    return [da, db];
  });
}

function negate(t: Tensor): Tensor {
  const out = Tensor.empty(t.shape);
  kernel(UNARY_KERNEL)(UNARY.neg, t.data, out.data);
  return out;
}
