import { binaryBroadcast, reluBackward, sumToShape, unaryMap } from "./elementwise.js";
import { columnMoments, meanBackward, varianceBackward } from "./moments.js";
import { kernelName, registerKernel } from "./registry.js";

/** The elementwise and batch-statistics kernels the ops run through the registry, so that a backend may bring its own. */
export const BINARY_KERNEL = kernelName<typeof binaryBroadcast>("autograd.binary");
export const SUM_TO_SHAPE_KERNEL = kernelName<typeof sumToShape>("autograd.sumToShape");
export const UNARY_KERNEL = kernelName<typeof unaryMap>("autograd.unary");
export const RELU_BACKWARD_KERNEL = kernelName<typeof reluBackward>("autograd.reluBackward");

export const MOMENTS_KERNEL = kernelName<typeof columnMoments>("autograd.moments");
export const MEAN_BACKWARD_KERNEL = kernelName<typeof meanBackward>("autograd.meanBackward");
export const VARIANCE_BACKWARD_KERNEL = kernelName<typeof varianceBackward>("autograd.varianceBackward");

registerKernel(BINARY_KERNEL, { plain: binaryBroadcast });
registerKernel(SUM_TO_SHAPE_KERNEL, { plain: sumToShape });
registerKernel(UNARY_KERNEL, { plain: unaryMap });
registerKernel(RELU_BACKWARD_KERNEL, { plain: reluBackward });
registerKernel(MOMENTS_KERNEL, { plain: columnMoments });
registerKernel(MEAN_BACKWARD_KERNEL, { plain: meanBackward });
registerKernel(VARIANCE_BACKWARD_KERNEL, { plain: varianceBackward });
