/**
 * Where a gradient check's relative errors lie, in bounded size for the report: a histogram over
 * log10 of the errors and, for matrices, the largest error per block of at most 32 × 32 blocks.
 * The errors are gradcheck's own (its `errors` option), from this thread or its worker threads.
 */
import type { ParameterCheck } from "@gradspec/autograd";

export const HEATMAP_BLOCKS = 32;
export const BINS_PER_DECADE = 4;

export interface ErrorHistogram {
  /** Bin i holds errors e with floor(log10(e) · binsPerDecade) = first + i. */
  first: number;
  binsPerDecade: number;
  counts: number[];
  /** Errors that are exactly 0 (no place on a log axis). */
  zeros: number;
}

export interface ErrorHeatmap {
  /** Rows and columns of the matrix per block. */
  rowBlock: number;
  colBlock: number;
  /** Largest error per block (null where no element of it was checked). */
  max: (number | null)[][];
}

export interface ErrorDistribution {
  name: string;
  histogram: ErrorHistogram;
  heatmap?: ErrorHeatmap;
}

/** The errors' distributions of the checks that kept their errors (gradcheck's `errors` option), in their order. */
export function errorDistributions(checks: readonly ParameterCheck[]): ErrorDistribution[] {
  const out: ErrorDistribution[] = [];
  for (const check of checks) {
    if (check.errors === undefined) continue;
    const errors = Array.from(check.errors.values);
    const distribution: ErrorDistribution = { name: check.name, histogram: histogram(errors) };
    if (check.shape.length === 2) distribution.heatmap = heatmap(Array.from(check.errors.at), errors, check.shape[0], check.shape[1]);
    out.push(distribution);
  }
  return out;
}

export function histogram(errors: readonly number[]): ErrorHistogram {
  const bins = errors.filter((e) => e > 0).map((e) => Math.floor(Math.log10(e) * BINS_PER_DECADE));
  const zeros = errors.length - bins.length;
  if (bins.length === 0) return { first: 0, binsPerDecade: BINS_PER_DECADE, counts: [], zeros };
  const first = bins.reduce((a, b) => Math.min(a, b));
  const counts = new Array<number>(bins.reduce((a, b) => Math.max(a, b)) - first + 1).fill(0);
  for (const b of bins) counts[b - first]++;
  return { first, binsPerDecade: BINS_PER_DECADE, counts, zeros };
}

function heatmap(indices: readonly number[], errors: readonly number[], rows: number, cols: number): ErrorHeatmap {
  const rowBlock = Math.ceil(rows / HEATMAP_BLOCKS);
  const colBlock = Math.ceil(cols / HEATMAP_BLOCKS);
  const max: (number | null)[][] = Array.from({ length: Math.ceil(rows / rowBlock) }, () => new Array<number | null>(Math.ceil(cols / colBlock)).fill(null));
  indices.forEach((index, k) => {
    const cell = max[Math.floor(Math.floor(index / cols) / rowBlock)];
    const c = Math.floor((index % cols) / colBlock);
    cell[c] = Math.max(cell[c] ?? 0, errors[k]);
  });
  return { rowBlock, colBlock, max };
}
