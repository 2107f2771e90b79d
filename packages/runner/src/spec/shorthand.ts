import { initializers, optimizers, schedules, type ComponentRegistry } from "@gradspec/nn";
import { formatPath, isRecord, type SpecPath } from "./json.js";

type AnyRegistry = ComponentRegistry<unknown, never>;

/** `he` → `{type: he}`, `{normal: std}` → `{type: normal, std}` (a type with exactly one required option). */
export function normalizeInit(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === "string") return initializers.fromName(value) ?? { type: value };
  if (!isRecord(value)) return undefined;
  return initializers.fromSingleOption(value) ?? value;
}

/** The object form of a component section's value: a name expanded, an object without type given the default type. */
function componentObject(registry: AnyRegistry, value: unknown, defaultType?: string): Record<string, unknown> | undefined {
  if (typeof value === "string") return registry.fromName(value);
  if (!isRecord(value)) return undefined;
  return value["type"] === undefined && defaultType !== undefined ? { type: defaultType, ...value } : value;
}

/** The type an optimizer object without `type` has. */
export const DEFAULT_OPTIMIZER_TYPE = "sgd";

/**
 * Short forms and the object form they stand for. Used when filling defaults and when an override
 * reaches inside a short form (`--set model.batchNorm.momentum=0.8` with `batchNorm: true`).
 */
export function expandShorthand(path: SpecPath, value: unknown): Record<string, unknown> | undefined {
  const where = formatPath(path);
  if (/^model(\.layers\.\d+)?\.init$/.test(where)) return normalizeInit(value);
  if (where === "training.optimizer") return componentObject(optimizers, value, DEFAULT_OPTIMIZER_TYPE);
  if (where === "training.schedule") return componentObject(schedules, value);
  if (isRecord(value)) return value;
  if (where === "model.batchNorm" && typeof value === "boolean") return { enabled: value };
  return undefined;
}
