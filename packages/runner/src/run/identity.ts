import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeStaleTempFiles } from "@gradspec/nn";
import { KERNELS_ENV, selectBackend } from "@gradspec/autograd";
import { dataFiles, fingerprintFiles, type FileFingerprint } from "../data/fingerprint.js";
import { STATES_DIR } from "../sweep/executors/folder-states.js";
import { isRecord } from "../spec/json.js";
import type { DataSpec, ResolvedSpec } from "../spec/types.js";
import type { RunFolder } from "./run-folder.js";
import { folderIoError } from "./folder-io.js";
import { errorCode } from "../error-code.js";

export const IDENTITY_FILE = "identity.json";

/**
 * What determines a run's results: its resolved spec without the keys that cannot change them, and
 * the size and content hash of every data file it reads. Two runs with the same hash give the same
 * numbers, so a folder is resumed only by a run of the same identity.
 */
export interface RunIdentity {
  hash: string;
  spec: unknown;
  data: FileFingerprint[];
  /** The kernels that compute it (plain, wasm, native): their products round differently. */
  kernels: string;
}

/** Keys that change how a run is carried out or shown, never what it computes. */
const IGNORED: readonly (readonly string[])[] = [["name"], ["description"], ["data", "dir"], ["sweep", "parallel"], ["sweep", "top"]];

/** A refused folder: one line, exit 2 (the command, not the run, is wrong). */
export class FolderError extends Error {
  override readonly name = "FolderError";
}

/** The folder is in use by another run: one line naming it, exit 1 (the command is right; try later). */
export class FolderBusy extends Error {
  override readonly name = "FolderBusy";
}

/** The identity of a spec whose runs read the data sections `data` (the spec's own and those of its variants or finals). */
export function runIdentity(spec: ResolvedSpec, data: readonly DataSpec[], specDir: string): RunIdentity {
  const kept = structuredClone(spec) as unknown as Record<string, unknown>;
  for (const path of IGNORED) removePath(kept, path);
  const files = [...new Set(data.flatMap((d) => dataFiles(d, specDir)))];
  const fingerprints = fingerprintFiles(files).sort((a, b) => a.name.localeCompare(b.name));
  const canonical = sortKeys(kept);
  const kernels = selectBackend().name;
  const hash = createHash("sha256").update(JSON.stringify({ spec: canonical, data: fingerprints, kernels })).digest("hex");
  return { hash, spec: canonical, data: fingerprints, kernels };
}

/**
 * Makes `folder` this run's: a new or empty folder gets the identity; a folder of the same identity is
 * resumed (`resumable` runs) or refused when it already holds a finished run; a folder of another
 * identity, or one with results and no identity, is refused naming what differs.
 */
export function claimFolder(folder: RunFolder, identity: RunIdentity, options: { resumable: boolean; extendEpochs?: boolean }): "new" | "resume" {
  const startAnew = `pass another --out, or delete ${folder.path} to start anew`;
  if (folder.has(IDENTITY_FILE)) {
    let earlier: RunIdentity;
    try {
      earlier = JSON.parse(folder.read(IDENTITY_FILE)) as RunIdentity;
    } catch {
      throw new FolderError(`${folder.file(IDENTITY_FILE)}: not readable JSON, so this folder cannot be resumed; ${startAnew}`);
    }
    if (earlier.hash !== identity.hash) {
      // A train run continued to more epochs is the same run as far as it got: only training.epochs may differ.
      const extended = options.extendEpochs === true && sameExceptEpochs(earlier, identity);
      if (!extended) throw new FolderError(`${folder.path} holds a run of another spec or data (${differences(earlier, identity)}); ${startAnew}`);
      folder.writeJson(IDENTITY_FILE, identity);
      return "resume";
    }
    if (!options.resumable && folder.has("summary.json")) throw new FolderError(`${folder.path} already holds this finished run; ${startAnew}`);
    return "resume";
  }
  const results = ["summary.json", "trials.jsonl", "spec.resolved.yaml"].filter((name) => folder.has(name));
  if (results.length > 0) {
    throw new FolderError(`${folder.path} holds results (${results.join(", ")}) with no record of the spec that made them, so they cannot be resumed or kept apart; ${startAnew}`);
  }
  folder.writeJson(IDENTITY_FILE, identity);
  return "new";
}

const LOCK_FILE = ".lock";

/**
 * Makes this process the folder's only user until `release` (a run killed outright leaves a lock whose
 * process is gone, which the next run takes over). Two runs writing one folder would mix their records.
 */
export function lockFolder(folder: RunFolder): { release: () => void } {
  const path = folder.file(LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: "wx" });
      // Ours now: temporary files of atomic writes that a killed run left behind can go.
      for (const dir of [folder.path, folder.file(STATES_DIR)]) removeStaleTempFiles(dir);
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw folderIoError(path, "create the lock file", error);
    }
    const owner = Number(readFileSync(path, "utf8").trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new FolderBusy(`${folder.path} is in use by process ${owner} (another gradspec run); wait for it to finish, or pass another --out`);
    }
    rmSync(path, { force: true }); // left by a run that was killed
  }
  throw new FolderError(`${folder.path}: cannot take its lock file ${LOCK_FILE}; pass another --out`);
}

/** The live process that holds the folder's lock (a run going on in it), if any; reads only. */
export function lockHolder(folderPath: string): number | undefined {
  try {
    const owner = Number(readFileSync(join(folderPath, LOCK_FILE), "utf8").trim());
    return Number.isInteger(owner) && owner > 0 && isAlive(owner) ? owner : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

function sameExceptEpochs(earlier: RunIdentity, now: RunIdentity): boolean {
  const withoutEpochs = (identity: RunIdentity): string => {
    const spec = structuredClone(identity.spec) as Record<string, unknown>;
    removePath(spec, ["training", "epochs"]);
    return JSON.stringify({ spec: sortKeys(spec), data: identity.data, kernels: identity.kernels });
  };
  return withoutEpochs(earlier) === withoutEpochs(now);
}

/** "sweep.seed: 3 there, 4 here; data_batch_2.bin differs" — at most a few. */
function differences(earlier: RunIdentity, now: RunIdentity): string {
  const before = flatten(earlier.spec);
  const after = flatten(now.spec);
  const keys = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k)).sort();
  const parts = keys.map((k) => `${k}: ${before.get(k) ?? "absent"} there, ${after.get(k) ?? "absent"} here`);
  const names = new Set([...(earlier.data ?? []), ...now.data].map((f) => f.name));
  for (const name of [...names].sort()) {
    const a = earlier.data?.find((f) => f.name === name);
    const b = now.data.find((f) => f.name === name);
    if (a === undefined || b === undefined || a.sha256 !== b.sha256 || a.size !== b.size) parts.push(`data file ${name} differs`);
  }
  if (earlier.kernels !== now.kernels) parts.push(`kernels: ${earlier.kernels ?? "wasm"} there, ${now.kernels} here (set ${KERNELS_ENV}=${earlier.kernels ?? "wasm"} to resume it)`);
  if (parts.length === 0) return "its identity was made by another gradspec version";
  return parts.length > 4 ? `${parts.slice(0, 4).join("; ")}; and ${parts.length - 4} more` : parts.join("; ");
}

/** Leaf values by dotted key path (lists as one JSON value). */
function flatten(value: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (isRecord(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix === "" ? key : `${prefix}.${key}`, out);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

function removePath(value: Record<string, unknown>, path: readonly string[]): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    delete value[head];
    return;
  }
  const inner = value[head];
  if (isRecord(inner)) removePath(inner, rest);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
}
