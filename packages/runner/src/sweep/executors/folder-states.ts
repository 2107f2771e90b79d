import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "@gradspec/nn";
import type { StateStore } from "./executor.js";
import { folderIoError, makeFolder } from "../../run/folder-io.js";

export const STATES_DIR = "states";

/** Training states of paused trials as safetensors files in the run folder's states/ (one machine). */
export function folderStates(runFolder: string): StateStore {
  const dir = join(runFolder, STATES_DIR);
  const file = (id: string, epoch: number): string => join(dir, `${id}@${epoch}.safetensors`);
  return {
    async read(id, epoch) {
      const path = file(id, epoch);
      return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
    },
    async write(id, epoch, bytes) {
      makeFolder(dir);
      const path = file(id, epoch);
      try {
        await writeFileAtomic(path, bytes);
      } catch (error) {
        throw folderIoError(path, "write", error);
      }
    },
    async remove(id, epoch) {
      rmSync(file(id, epoch), { force: true });
    },
  };
}
