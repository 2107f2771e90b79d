import { CIFAR_BATCH_SIZE, DEFAULTS, MNIST_SAMPLES } from "../defaults.js";
import type { PathIssue } from "../issues.js";
import { list, num, record, str } from "./loose.js";

/** Keys of `data` that only mean something for some sources, with a hint for the others. */
const ONLY_FOR: Record<string, { sources: string[]; hint?: string }> = {
  dir: { sources: ["cifar10"] },
  format: { sources: ["cifar10"] },
  train: { sources: ["cifar10"], hint: "use data.synthetic.train for synthetic data" },
  validation: { sources: ["cifar10", "mnist"], hint: "use data.synthetic.validation" },
  test: { sources: ["cifar10"] },
  mnist: { sources: ["mnist"] },
  synthetic: { sources: ["synthetic"] },
  augment: { sources: ["cifar10", "mnist"], hint: "augmentation flips and crops images, and synthetic samples are not images" },
};

export function checkData(spec: Record<string, unknown>): PathIssue[] {
  const data = record(spec["data"]);
  const source = str(data?.["source"]);
  if (data === undefined || source === undefined || !["cifar10", "mnist", "synthetic"].includes(source)) return [];
  const issues: PathIssue[] = [];
  for (const [key, rule] of Object.entries(ONLY_FOR)) {
    if (!(key in data) || rule.sources.includes(source)) continue;
    const hint = rule.hint !== undefined && source === "synthetic" ? `; ${rule.hint}` : "";
    issues.push({ path: ["data", key], message: `only for source ${rule.sources.join(" or ")} (source is ${source})${hint}`, at: { path: ["data", key], atKey: true } });
  }
  if (source === "mnist" && Array.isArray(data["validation"])) {
    issues.push({ path: ["data", "validation"], message: "must be a count for mnist (batch names are for cifar10)" });
  }
  if (source === "cifar10") issues.push(...checkCifarSplits(data));
  if (source === "mnist") issues.push(...checkMnistSplit(data));
  return issues;
}

function checkCifarSplits(data: Record<string, unknown>): PathIssue[] {
  const issues: PathIssue[] = [];
  const train = (list(data["train"]) ?? DEFAULTS.data.train).filter((b): b is string => typeof b === "string");
  const validation = data["validation"];
  const overlap = (key: "validation" | "test", names: unknown[]): void => {
    names.forEach((name, i) => {
      if (typeof name === "string" && train.includes(name)) issues.push({ path: ["data", key, i], message: `${name} is also a training batch` });
    });
  };
  if (Array.isArray(validation)) overlap("validation", validation);
  overlap("test", list(data["test"]) ?? []);
  const count = num(validation);
  const available = train.length * CIFAR_BATCH_SIZE;
  if (count !== undefined && count >= available) {
    issues.push({ path: ["data", "validation"], message: `must leave training samples: the training batches hold ${available}, got ${count}` });
  }
  return issues;
}

function checkMnistSplit(data: Record<string, unknown>): PathIssue[] {
  const fraction = num(record(data["mnist"])?.["trainFraction"]) ?? DEFAULTS.data.mnist.trainFraction;
  const available = Math.floor(MNIST_SAMPLES * fraction);
  const count = num(data["validation"]);
  if (count === undefined || count < available) return [];
  return [{ path: ["data", "validation"], message: `must leave training samples: the training part holds ${available}, got ${count}` }];
}
