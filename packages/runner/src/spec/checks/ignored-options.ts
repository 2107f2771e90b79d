import { DEFAULTS } from "../defaults.js";
import type { PathIssue } from "../issues.js";
import { isRecord, ownValue, type SpecPath } from "../json.js";
import { expandShorthand } from "../shorthand.js";

/**
 * Options that a chosen variant of another option ignores. Sweeping one, or setting it in a compare
 * variant, would run the same training under a different label, so such a key is refused where it
 * is written, naming the key that does have the effect.
 */
interface IgnoredOption {
  readonly key: string;
  /** The key whose value decides whether `key` is used. */
  readonly decidedBy: string;
  readonly ignoredWhen: (value: unknown) => boolean;
  /** Why it has no effect then. */
  readonly because: string;
  /** The key to set or sweep instead. */
  readonly instead: string;
}

const IGNORED_OPTIONS: readonly IgnoredOption[] = [
  {
    key: "training.learningRate",
    decidedBy: "training.schedule.type",
    ignoredWhen: (type) => type === "cyclic",
    because: "a cyclic schedule takes its rates from training.schedule.min and training.schedule.max",
    instead: "training.schedule.max (and training.schedule.min)",
  },
  ...(["momentum", "eps"] as const).map((option) => ({
    key: `model.batchNorm.${option}`,
    decidedBy: "model.batchNorm",
    // `false`, or the object form with enabled: false; an object without `enabled` turns batch norm on.
    ignoredWhen: (batchNorm: unknown) => batchNorm === false || (isRecord(batchNorm) && ownValue(batchNorm, "enabled") === false),
    because: "batch norm is off (model.batchNorm is false)",
    instead: "model.batchNorm",
  })),
  {
    key: "training.optimizer.variant",
    decidedBy: "training.optimizer.momentum",
    ignoredWhen: (momentum) => momentum === 0,
    because: "with momentum 0 every variant is the same plain SGD step",
    instead: "training.optimizer.momentum",
  },
];

/** The values a key takes across the trials or in one variant: `varies` when it is drawn from a range. */
export type KeyValues = ReadonlyMap<string, readonly unknown[] | "varies">;

/**
 * Issues for the keys of `written` (a sweep's parameters or a variant's set, at `recordPath`) that
 * have no effect, given the spec and the values every written key takes.
 */
export function checkIgnoredOptions(spec: Record<string, unknown>, written: KeyValues, recordPath: SpecPath, verb: "sweep" | "set"): PathIssue[] {
  const issues: PathIssue[] = [];
  for (const option of IGNORED_OPTIONS) {
    if (!written.has(option.key)) continue;
    const deciding = candidates(spec, written, option.decidedBy, option.key);
    if (deciding === "varies" || deciding.length === 0 || !deciding.every(option.ignoredWhen)) continue;
    const path = [...recordPath, option.key];
    issues.push({
      path,
      message: `has no effect: ${option.because}; ${verb} ${option.instead} instead`,
      at: { path, atKey: true },
    });
  }
  return issues;
}

/**
 * The values `key` takes: from a written key equal to it or above it (`training.schedule` as a
 * whole), else the spec's own or default; `varies` when a written key other than `option` is below it.
 */
function candidates(spec: Record<string, unknown>, written: KeyValues, key: string, option: string): readonly unknown[] | "varies" {
  if ([...written.keys()].some((other) => other !== option && other.startsWith(`${key}.`))) return "varies";
  const parts = key.split(".");
  for (let length = parts.length; length > 0; length--) {
    const values = written.get(parts.slice(0, length).join("."));
    if (values === undefined) continue;
    if (values === "varies") return "varies";
    return values.map((value) => readBelow(value, parts.slice(0, length), parts.slice(length)));
  }
  const given = readBelow(spec, [], parts);
  return [given === undefined ? readBelow(DEFAULTS, [], parts) : given];
}

/** The value at `rest` below `value` (which sits at `at`), expanding short forms (`batchNorm: true`) on the way. */
function readBelow(value: unknown, at: readonly string[], rest: readonly string[]): unknown {
  let current = value;
  const path = [...at];
  for (const part of rest) {
    const expanded = isRecord(current) ? current : expandShorthand(path, current);
    if (expanded === undefined) return undefined;
    current = ownValue(expanded, part);
    path.push(part);
  }
  return current;
}
