import { formatPath, isRecord, type SpecPath } from "./json.js";

/**
 * Short forms and the object form they stand for. Used when filling defaults and when an override
 * reaches inside a short form (`--set model.batchNorm.momentum=0.8` with `batchNorm: true`).
 */
const OPTIMIZERS: Record<string, { momentum: number; variant: string }> = {
  sgd: { momentum: 0, variant: "report" },
  momentum: { momentum: 0.9, variant: "report" },
  nesterov: { momentum: 0.9, variant: "nesterov" },
};

/** `he` → `{type: he}`, `{normal: std}` → `{type: normal, std}`. */
export function normalizeInit(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === "string") return { type: value };
  if (!isRecord(value)) return undefined;
  return "normal" in value ? { type: "normal", std: value["normal"] } : value;
}

/** The object form of the value at `path`, or undefined if it has none (then it is left alone). */
export function expandShorthand(path: SpecPath, value: unknown): Record<string, unknown> | undefined {
  const where = formatPath(path);
  if (/^model(\.layers\.\d+)?\.init$/.test(where)) return normalizeInit(value);
  if (isRecord(value)) return value;
  if (where === "model.batchNorm" && typeof value === "boolean") return { enabled: value };
  if (where === "training.optimizer" && typeof value === "string" && OPTIMIZERS[value] !== undefined) return { ...OPTIMIZERS[value] };
  if (where === "training.schedule" && typeof value === "string") return { type: value };
  return undefined;
}
