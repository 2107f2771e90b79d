import { deepClone } from "./json.js";
import { applyOverrides } from "./overrides.js";
import type { TrainSpec } from "./types.js";
import { validateSpec } from "./validate.js";

/**
 * The training run of a compare variant, sweep trial or final retraining: `base` (best the `raw`
 * of loadSpecFile, or a resolved spec) without its compare/sweep/gradcheck section, as
 * `experiment: train`, with `set` applied, validated and resolved. Throws SpecError labelled `label`.
 */
export function deriveTrainSpec(base: object, set: Readonly<Record<string, unknown>>, label: string): TrainSpec {
  const copy = deepClone(base) as Record<string, unknown>;
  delete copy["compare"];
  delete copy["sweep"];
  delete copy["gradcheck"];
  copy["experiment"] = "train";
  return validateSpec(applyOverrides(copy, set, label), label) as TrainSpec;
}
