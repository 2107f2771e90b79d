import { loadSpecData, type SplitData } from "./from-spec.js";
import type { DataSpec } from "../spec/types.js";

/** Loaded splits by data section, so compare variants and a thread's sweep trials load each dataset once. */
export class DataCache {
  private readonly cache = new Map<string, SplitData>();
  constructor(private readonly specDir: string) {}

  get(spec: DataSpec, withTest = true): SplitData {
    const effective = withTest || spec.source !== "cifar10" ? spec : { ...spec, test: [] };
    const key = JSON.stringify(effective);
    let split = this.cache.get(key);
    if (split === undefined) {
      split = loadSpecData(effective, this.specDir);
      this.cache.set(key, split);
    }
    return split;
  }
}
