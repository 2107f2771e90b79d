export { Tensor, shapeSize, sameShape, formatShape, type Shape, type NestedNumbers } from "./tensor.js";
export { Rng, type RngState } from "./random.js";
export { Tape, valueAndGrad, grad, recordOp, type Vjp, type ValueAndGrad } from "./tape.js";
export { allocate, allocateLasting, withAllocator, BufferPool, type Allocator, type StepPool } from "./memory.js";
export { backend, setBackend, type Backend, type BackendStorage } from "./kernels/backend.js";
export { registerKernel, kernel, kernelName, kernelBackends, type KernelFunction, type KernelName, type KernelImplementations } from "./kernels/registry.js";
export { plainBackend } from "./kernels/plain.js";
export { add, sub, mul, div } from "./ops/arithmetic.js";
export { neg, exp, log, sqrt, square, pow, relu, tanh, sigmoid, affine, scale } from "./ops/unary.js";
export { matmul, transpose, reshape, type MatmulOptions } from "./ops/linalg.js";
export { sum, sumSquares, mean, max, type ReduceOptions } from "./ops/reduce.js";
export { softmax, logSoftmax, softmaxCrossEntropy, checkLabels, type Labels } from "./ops/softmax.js";
export { moments, type Moments } from "./ops/moments.js";
export { broadcastShapes } from "./ops/shape.js";
export { gradcheck, relativeError, unravel, type ComparisonErrors, type GradcheckOptions, type GradcheckReport, type ParameterCheck } from "./gradcheck.js";
export {
  selectBackend,
  useBestBackend,
  KERNELS_ENV,
  type BackendSelection,
  type KernelsName,
} from "./kernels/select.js";
export { sumSquaresAll } from "./kernels/reduce.js";
export { wasmBackend, wasmExtras, wasmUnavailableReason, WasmArena, DEFAULT_ARENA_BYTES, MEMORY_ENV, type WasmExtras } from "./kernels/wasm/index.js";
export { nativeBackend, nativeAddon, nativeUnavailableReason, nativeBlasThreads, loadAddon, BLAS_THREADS_ENV, ADDON_ENV, type NativeAddon } from "./kernels/native/index.js";
export { gemmPlain } from "./kernels/plain.js";
export { gradcheckInWorkers, type ParallelGradcheckOptions } from "./gradcheck/parallel.js";
export { serveGradcheckWorker } from "./gradcheck/serve.js";
export type { GradcheckProblem, GradcheckProblemModule } from "./gradcheck/problem.js";
