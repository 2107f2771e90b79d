import { binaryBroadcast, reluBackward, sumToShape, unaryMap } from "./elementwise.js";
import { kernelName, registerKernel } from "./registry.js";

/** The elementwise kernels the ops run through the registry, so that a backend may bring its own. */
export const BINARY_KERNEL = kernelName<typeof binaryBroadcast>("autograd.binary");
export const SUM_TO_SHAPE_KERNEL = kernelName<typeof sumToShape>("autograd.sumToShape");
export const UNARY_KERNEL = kernelName<typeof unaryMap>("autograd.unary");
export const RELU_BACKWARD_KERNEL = kernelName<typeof reluBackward>("autograd.reluBackward");

registerKernel(BINARY_KERNEL, { plain: binaryBroadcast });
registerKernel(SUM_TO_SHAPE_KERNEL, { plain: sumToShape });
registerKernel(UNARY_KERNEL, { plain: unaryMap });
registerKernel(RELU_BACKWARD_KERNEL, { plain: reluBackward });
