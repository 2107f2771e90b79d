import { Rng } from "@gradspec/autograd";
import type { Distribution } from "../spec/types.js";

/** One draw from a distribution, using the given generator. */
export function sample(distribution: Distribution, rng: Rng): unknown {
  if ("logUniform" in distribution) {
    const [low, high] = distribution.logUniform;
    return Math.exp(rng.uniformIn(Math.log(low), Math.log(high)));
  }
  if ("uniform" in distribution) return rng.uniformIn(distribution.uniform[0], distribution.uniform[1]);
  if ("intUniform" in distribution) {
    const [low, high] = distribution.intUniform;
    return low + rng.int(high - low + 1);
  }
  return distribution.values[rng.int(distribution.values.length)];
}

/** Trial `index` of stage `stage`: fully determined by (seed, stage, index), whatever order trials run in. */
export function randomTrial(parameters: Record<string, Distribution>, seed: number, stage: number, index: number): Record<string, unknown> {
  const rng = Rng.derive(seed, stage, index);
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(parameters).sort()) values[key] = sample(parameters[key], rng);
  return values;
}

/** Every combination of `values` lists (other distributions are not allowed in a grid), in key order. */
export function gridTrials(parameters: Record<string, Distribution>): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const key of Object.keys(parameters).sort()) {
    const d = parameters[key];
    if (!("values" in d)) throw new RangeError(`sweep.parameters.${key}: a grid sweep needs {values: [...]}, not a range`);
    combos = combos.flatMap((c) => d.values.map((v) => ({ ...c, [key]: v })));
  }
  return combos;
}

/**
 * Narrows each range to the span of the best trials' values (in log space for logUniform), widened by
 * `expand`·span on each side and clipped to the original range. `values` lists keep the values seen.
 */
export function refineRanges(
  original: Record<string, Distribution>,
  best: readonly Record<string, unknown>[],
  expand: number,
): Record<string, Distribution> {
  const refined: Record<string, Distribution> = {};
  for (const [key, d] of Object.entries(original)) {
    const seen = best.map((t) => t[key]);
    if ("values" in d) {
      const kept = d.values.filter((v) => seen.some((s) => JSON.stringify(s) === JSON.stringify(v)));
      refined[key] = { values: kept.length > 0 ? kept : d.values };
      continue;
    }
    const numbers = seen.filter((v): v is number => typeof v === "number");
    if (numbers.length === 0) {
      refined[key] = d;
      continue;
    }
    if ("logUniform" in d) {
      const [low, high] = widen(numbers.map(Math.log), expand, Math.log(d.logUniform[0]), Math.log(d.logUniform[1]));
      refined[key] = { logUniform: [Math.exp(low), Math.exp(high)] };
    } else if ("uniform" in d) {
      refined[key] = { uniform: widen(numbers, expand, d.uniform[0], d.uniform[1]) };
    } else {
      const [low, high] = widen(numbers, expand, d.intUniform[0], d.intUniform[1]);
      refined[key] = { intUniform: [Math.floor(low), Math.ceil(high)] };
    }
  }
  return refined;
}

function widen(values: number[], expand: number, min: number, max: number): [number, number] {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const margin = expand * (high - low);
  return [Math.max(min, low - margin), Math.min(max, high + margin)];
}
