import { readFileSync, statSync, type Stats } from "node:fs";
import { errorCode } from "../error-code.js";
import { DataError, notFound, type DataHint } from "./errors.js";

/**
 * The stat of `file`, which must be a regular file: a FIFO, socket or device would block a read or
 * never end, a folder is not data. Anything else is a one-line DataError.
 */
export function requireRegularFile(file: string, hint?: DataHint): Stats {
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch (error) {
    throw fileError(file, error, hint);
  }
  if (stat.isFile()) return stat;
  if (stat.isDirectory()) throw new DataError(file, "is a folder, expected a file");
  throw new DataError(file, `is ${specialKind(stat)}, not a regular file; copy the data into a regular file`);
}

function specialKind(stat: Stats): string {
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  return "not a regular file";
}

/** Reads a whole regular file; a missing file or folder becomes a one-line DataError with where to get the data. */
export function readDataFile(file: string, hint: DataHint): Uint8Array {
  requireRegularFile(file, hint);
  try {
    return readFileSync(file);
  } catch (error) {
    throw fileError(file, error, hint);
  }
}

/** Reads a text file, or returns null when it does not exist. */
export function readOptionalText(file: string): string | null {
  if (!exists(file)) return null;
  requireRegularFile(file, "cifar10-bin");
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return null;
    throw fileError(file, error, "cifar10-bin");
  }
}

/** Throws a DataError unless `dir` is an existing folder. */
export function requireDirectory(dir: string, hint: DataHint): void {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (error) {
    throw fileError(dir, error, hint);
  }
  if (!isDir) throw new DataError(dir, "is a file, expected a folder");
}

/** True when `file` exists (any kind). */
export function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function fileError(file: string, error: unknown, hint: DataHint | undefined): DataError {
  const code = errorCode(error);
  if (code === "ENOENT" || code === "ENOTDIR") return hint === undefined ? new DataError(file, "not found") : notFound(file, hint);
  if (code === "EISDIR") return new DataError(file, "is a folder, expected a file");
  if (code === "EACCES" || code === "EPERM") return new DataError(file, "permission denied");
  const message = error instanceof Error ? error.message : String(error);
  return new DataError(file, `cannot read (${message.split("\n")[0]})`);
}
