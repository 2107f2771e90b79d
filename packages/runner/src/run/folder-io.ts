import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { errorCode } from "../error-code.js";

/**
 * A run folder that cannot be created or written (disk full, read-only, not permitted): one line
 * naming the path and the cause, exit 1. What was written before stays: every file is replaced
 * atomically and logs are cut back to their last whole line on the next run.
 */
export class FolderIoError extends Error {
  override readonly name = "FolderIoError";
}

const CAUSES: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "the operation is not permitted there",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder",
  ENOENT: "the file system does not allow creating it there",
  ENAMETOOLONG: "the name is too long",
};

/** The error for a failed `action` ("write", "create") on `path`. */
export function folderIoError(path: string, action: string, error: unknown): FolderIoError {
  const code = errorCode(error);
  const cause = code !== undefined && CAUSES[code] !== undefined ? `${CAUSES[code]} (${code})` : (error instanceof Error ? error.message : String(error)).split("\n")[0];
  const fix = code === "ENOSPC" || code === "EDQUOT" ? "free some space; what is written is kept (a sweep resumes where it stopped)" : "pass another --out";
  return new FolderIoError(`${path}: cannot ${action}: ${cause}; ${fix}`);
}

/** Runs a file-system `operation` on `path`, turning its failure into a FolderIoError. */
export function guardIo<T>(path: string, action: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof FolderIoError || errorCode(error) === undefined) throw error;
    throw folderIoError(path, action, error);
  }
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns where the file system refuses
 * a folder with ENOENT though its parent exists (under /proc it loops forever).
 */
export function makeFolder(path: string): void {
  const missing: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    const kind = folderKind(at);
    if (kind === "folder") break;
    if (kind === "other") throw folderIoError(at, "create a run folder in it", { code: "ENOTDIR" });
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw folderIoError(folder, "create the folder", error);
    }
  }
}

function folderKind(path: string): "folder" | "missing" | "other" {
  try {
    return statSync(path).isDirectory() ? "folder" : "other";
  } catch (error) {
    // ENOTDIR: an ancestor is a file; going up finds it and names it.
    if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") return "missing";
    throw folderIoError(path, "create a run folder in it", error);
  }
}
