import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { basename, join } from "node:path";
import type { DataSpec } from "../spec/types.js";
import { requireRegularFile } from "./files.js";
import { resolveCifar10File } from "./cifar10.js";
import { cifarDir } from "./from-spec.js";
import { mnistDigitsDir, MNIST_CLASS_NAMES } from "./mnist.js";

/** A data file as the trials of a sweep read it: its name in its folder, size and content hash. */
export interface FileFingerprint {
  name: string;
  size: number;
  sha256: string;
}

/** The files a data section reads: with the splits it names, where this machine keeps them. */
export function dataFiles(spec: DataSpec, specDir: string): string[] {
  switch (spec.source) {
    case "cifar10": {
      const dir = cifarDir(spec, specDir);
      const batches = [...spec.train, ...(Array.isArray(spec.validation) ? spec.validation : []), ...spec.test];
      return [...new Set(batches)].map((batch) => resolveCifar10File(dir, batch, spec.format));
    }
    case "mnist": {
      const dir = mnistDigitsDir();
      return MNIST_CLASS_NAMES.map((digit) => join(dir, `${digit}.json`));
    }
    case "synthetic":
      return [];
  }
}

const hashes = new Map<string, FileFingerprint>();
const CHUNK = 1 << 22;

/** Sizes and SHA-256 of files, each hashed once per process (keyed by path, size and modification time). */
export function fingerprintFiles(files: readonly string[]): FileFingerprint[] {
  return files.map((file) => {
    const stat = requireRegularFile(file);
    const key = `${file}\0${stat.size}\0${stat.mtimeMs}`;
    let known = hashes.get(key);
    if (known === undefined) {
      known = { name: basename(file), size: stat.size, sha256: sha256File(file) };
      hashes.set(key, known);
    }
    return known;
  });
}

function sha256File(file: string): string {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(file, "r");
  try {
    for (let read = readSync(fd, buffer, 0, CHUNK, null); read > 0; read = readSync(fd, buffer, 0, CHUNK, null)) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** The first difference between the files a trial expects and this machine's `files`, as one line; undefined when they match. */
export function fingerprintMismatch(expected: readonly FileFingerprint[], files: readonly string[]): string | undefined {
  const actual = fingerprintFiles(files);
  for (const want of expected) {
    const at = actual.findIndex((a) => a.name === want.name);
    if (at < 0) return `${want.name}: the trial reads it, but this machine's data has no such file`;
    const [have, path] = [actual[at], files[at]];
    if (have.size !== want.size) return `${path}: ${have.size} bytes here, ${want.size} where the sweep was started`;
    if (have.sha256 !== want.sha256) return `${path}: its content differs from the controller's copy (sha256 ${have.sha256.slice(0, 12)}… here, ${want.sha256.slice(0, 12)}… there)`;
  }
  return undefined;
}
