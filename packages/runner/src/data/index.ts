export type { Dataset, Standardizer } from "./dataset.js";
export { DataError, DATA_HINTS, notFound, type DataHint } from "./errors.js";
export { readDataFile, requireDirectory } from "./files.js";
export {
  CIFAR10_CLASS_NAMES, CIFAR10_CLASSES, CIFAR10_DIM, loadCifar10Bin, parseCifar10Bin, readCifar10ClassNames,
} from "./cifar10-bin.js";
export {
  parseMat, readMat, matVariable,
  type MatFile, type MatVariable, type MatNumeric, type MatChar, type MatUnsupported, type MatClass, type MatNumericData,
} from "./mat-v5.js";
export { matNumeric, matrixDims, rowMajorBytes } from "./mat-matrix.js";
export { cifar10FromMat, loadCifar10Mat, parseCifar10Mat } from "./cifar10-mat.js";
export { CIFAR10_TEST_BATCH, CIFAR10_TRAIN_BATCHES, loadCifar10, loadCifar10Batch, resolveCifar10File, type Cifar10Format } from "./cifar10.js";
export { MNIST_CLASS_NAMES, MNIST_CLASSES, MNIST_DIM, loadMnist, mnistDigitsDir, readDigit, type MnistOptions, type MnistSplit } from "./mnist.js";
export { syntheticBlobs, type BlobOptions, type BlobSplit } from "./synthetic.js";
export { fitStandardizer, identityStandardizer, type StandardizeMode, type StandardizeOptions } from "./standardize.js";
export { standardizeBytesPlain, STANDARDIZE_BYTES_KERNEL, type StandardizeBytesKernel } from "./standardize-kernel.js";
export { fillBatch, fillLabels, fillRange, toMatrix } from "./batch.js";
export { classCounts, concat, subset, takeRows } from "./select.js";
