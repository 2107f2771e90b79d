import { dataShape } from "../defaults.js";
import type { PathIssue } from "../issues.js";
import type { SpecPath } from "../json.js";
import { isRegisteredLayer, registeredLayerTypes } from "@gradspec/nn";
import { didYouMean } from "../suggest.js";
import { list, num, record, str } from "./loose.js";

const HIDDEN_FORM = ["hidden", "batchNorm", "activation"] as const;

export function checkModel(spec: Record<string, unknown>): PathIssue[] {
  const model = record(spec["model"]);
  if (model === undefined) return [];
  const issues: PathIssue[] = [];
  if ("layers" in model) {
    for (const key of HIDDEN_FORM) {
      if (key in model) issues.push({ path: ["model", key], message: "cannot be used together with model.layers (list every layer there instead)", at: { path: ["model", key], atKey: true } });
    }
  }
  (list(model["layers"]) ?? []).forEach((layer, i) => {
    const item = record(layer);
    issues.push(...checkLayerType(item?.["type"], ["model", "layers", i, "type"]));
  });
  issues.push(...checkLayerType(model["activation"], ["model", "activation"]));
  const data = record(spec["data"]);
  const source = str(data?.["source"]);
  if (source !== undefined && ["cifar10", "mnist", "synthetic"].includes(source)) {
    const synthetic = record(data?.["synthetic"]);
    const shape = dataShape(source, { classes: num(synthetic?.["classes"]), dim: num(synthetic?.["dim"]) });
    const input = num(model["input"]);
    const output = num(model["output"]);
    if (input !== undefined && input !== shape.dim) issues.push({ path: ["model", "input"], message: `must equal the data's dimension ${shape.dim} (${source}), got ${input}` });
    if (output !== undefined && output !== shape.classes) issues.push({ path: ["model", "output"], message: `must equal the data's number of classes ${shape.classes} (${source}), got ${output}` });
  }
  return issues;
}

/** A layer type (or activation) must be registered with nn's layer registry, built-in or by a plugin. */
function checkLayerType(type: unknown, path: SpecPath): PathIssue[] {
  if (typeof type !== "string" || isRegisteredLayer(type)) return [];
  const known = registeredLayerTypes();
  return [{ path, message: `unknown layer type ${JSON.stringify(type)}${didYouMean(type, known)}; registered: ${known.join(", ")} (a plugin layer needs --plugin)` }];
}
