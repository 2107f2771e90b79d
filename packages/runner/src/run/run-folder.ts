import { appendFileSync, existsSync, readFileSync, truncateSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { writeFileAtomicSync } from "@gradspec/nn";
import { guardIo, makeFolder } from "./folder-io.js";

/** The folder a run writes into. Every file is written atomically (temp file, then rename). */
export class RunFolder {
  readonly path: string;

  constructor(path: string) {
    this.path = resolve(path);
    makeFolder(this.path);
  }

  /** runs/<name>-<timestamp>, made unique if it exists. */
  static defaultPath(name: string, now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    let path = join("runs", `${name}-${stamp}`);
    for (let i = 2; existsSync(path); i++) path = join("runs", `${name}-${stamp}-${i}`);
    return path;
  }

  file(name: string): string {
    return join(this.path, name);
  }

  has(name: string): boolean {
    return existsSync(this.file(name));
  }

  read(name: string): string {
    return readFileSync(this.file(name), "utf8");
  }

  write(name: string, content: string | Uint8Array): void {
    const target = this.file(name);
    makeFolder(dirname(target));
    guardIo(target, "write", () => writeFileAtomicSync(target, content));
  }

  writeJson(name: string, value: unknown): void {
    this.write(name, `${JSON.stringify(value, jsonNumbers, 2)}\n`);
  }

  /**
   * Cuts a torn last line (the process died, or the disk filled, in the middle of an append) off an
   * append-only log, so the next line does not get glued onto the fragment. Returns what was cut.
   */
  repairLog(name: string): string {
    if (!this.has(name)) return "";
    const file = this.file(name);
    return guardIo(file, "repair the end of", () => {
      const bytes = readFileSync(file);
      if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return "";
      const keep = bytes.lastIndexOf(0x0a) + 1;
      truncateSync(file, keep);
      return bytes.subarray(keep).toString("utf8");
    });
  }

  /** Appends one line (append-only logs such as trials.jsonl survive interruption line by line). */
  appendLine(name: string, line: string): void {
    const file = this.file(name);
    guardIo(file, "append to", () => appendFileSync(file, `${line}\n`));
  }

  get name(): string {
    return basename(this.path);
  }
}

/** JSON has no NaN or Infinity: write them as strings so nothing is silently lost. */
function jsonNumbers(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}
