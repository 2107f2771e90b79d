import { dirname } from "node:path";
import { DataCache } from "../data/data-cache.js";
import type { RunSummary, TrainedRun } from "../run/summary.js";
import { deriveTrainSpec } from "../spec/index.js";
import type { CompareSpec } from "../spec/types.js";
import { trainedCheckpoint, variantCheckpointPath } from "./checkpoint-file.js";
import { trainOnce } from "./train-once.js";
import { toTrainedRun, type ExperimentContext } from "./train.js";

/**
 * Variants of one spec side by side (the report's §2 and §4: BN on and off). Each variant is the
 * base spec with its `set` overrides; data is loaded once per distinct data section.
 */
export function runCompare(spec: CompareSpec, raw: Record<string, unknown>, ctx: ExperimentContext): Pick<RunSummary, "status" | "message" | "compare"> {
  const data = new DataCache(dirname(ctx.specFile));
  const variants: TrainedRun[] = [];
  for (const [i, variant] of spec.compare.variants.entries()) {
    const variantSpec = deriveTrainSpec(raw, variant.set, `compare.variants[${variant.name}]`);
    ctx.progress.log(`variant ${variant.name}`);
    const splits = data.get(variantSpec.data);
    const outcome = trainOnce(variantSpec, splits, ctx.progress, variant.name);
    ctx.folder.write(variantCheckpointPath(i, variant.name), trainedCheckpoint(variantSpec, splits, outcome.model, outcome.status));
    variants.push(toTrainedRun(variant.name, outcome));
    ctx.folder.writeJson("variants.partial.json", variants);
  }
  const diverged = variants.filter((v) => v.status === "diverged");
  // A variant that diverged is a result worth its tables and plots, but the run did not train every variant: exit 1.
  const result: Pick<RunSummary, "status" | "message" | "compare"> = { status: diverged.length > 0 ? "diverged" : "completed", compare: { variants } };
  if (diverged.length > 0) result.message = diverged.map((v) => `${v.name}: ${v.message}`).join("; ");
  return result;
}
