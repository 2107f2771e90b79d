export { shapeArb, valueArb, tensorArb, anyTensorArb, matrixArb, type ShapeOptions, type ValueOptions } from "./arbitraries.js";
export { checkGradients, checkLayerGradients, GradientMismatchError, type GradientCheckOptions } from "./check-gradients.js";
