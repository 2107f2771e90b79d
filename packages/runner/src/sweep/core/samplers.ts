import type { Distribution, SweepSection, SweepStage } from "../../spec/types.js";
import { gridTrials, randomTrial } from "../sample.js";

/** The trials of one stage: trial i depends only on (sweep seed, stage, i) and the stage's ranges. `stageIndex` counts from 0. */
export interface Sampler {
  trials(ranges: Record<string, Distribution>, stage: SweepStage, stageIndex: number): Record<string, unknown>[];
}

export function makeSampler(sweep: Pick<SweepSection, "method" | "seed">): Sampler {
  if (sweep.method === "grid") {
    // Every combination, in key order; a stage's `trials` caps how many are run.
    return { trials: (ranges, stage) => gridTrials(ranges).slice(0, stage.trials ?? Number.POSITIVE_INFINITY) };
  }
  return {
    trials: (ranges, stage, s) => Array.from({ length: stage.trials ?? 0 }, (_, i) => randomTrial(ranges, sweep.seed, s, i)),
  };
}
