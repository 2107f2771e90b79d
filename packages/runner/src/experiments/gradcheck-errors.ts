/**
 * Where a gradient check's relative errors lie, recorded in bounded size for the report: a histogram
 * over log10 of the errors and, for matrices, the largest error per block of at most 32 × 32 blocks.
 *
 * autograd's gradcheck returns statistics only, so this watches the cost function it is given: in mode
 * "all" with the 2-point stencil, each evaluation has exactly one element moved by ±h, and the centered
 * difference is recomputed from those two values exactly as gradcheck computes it. The result is kept
 * only when its max and count agree with gradcheck's own, so it never shows errors gradcheck did not.
 */
import { relativeError, type ParameterCheck, type Tensor } from "@gradspec/autograd";

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

interface Watched {
  name: string;
  tensor: Tensor;
  original: Float64Array;
  /** Per element index: value of f at +h and at −h. */
  plus: Map<number, number>;
  minus: Map<number, number>;
  next: number;
}

export class ElementErrorRecorder {
  readonly #watched: Watched[];

  constructor(params: Readonly<Record<string, Tensor>>, only?: readonly string[]) {
    this.#watched = Object.entries(params)
      .filter(([name]) => only === undefined || only.includes(name))
      .map(([name, tensor]) => ({ name, tensor, original: Float64Array.from(tensor.data), plus: new Map(), minus: new Map(), next: 0 }));
  }

  /** `f`, noting each value it returns at a perturbed element. */
  watch<A extends unknown[]>(f: (...args: A) => Tensor): (...args: A) => Tensor {
    return (...args: A) => {
      const value = f(...args);
      this.#note(value.data[0]);
      return value;
    };
  }

  #note(value: number): void {
    for (const w of this.#watched) {
      const index = perturbedIndex(w);
      if (index < 0) continue;
      (w.tensor.data[index] > w.original[index] ? w.plus : w.minus).set(index, value);
      w.next = index;
      return;
    }
  }

  /** The errors' distributions, in the order of `checks`; a parameter whose recount disagrees with gradcheck is left out. */
  distributions(checks: readonly ParameterCheck[], grads: Readonly<Record<string, Tensor>>, h: number, eps: number): ErrorDistribution[] {
    const out: ErrorDistribution[] = [];
    for (const check of checks) {
      const w = this.#watched.find((x) => x.name === check.name);
      const analytic = grads[check.name];
      if (w === undefined || analytic === undefined) continue;
      const indices = [...w.plus.keys()].filter((i) => w.minus.has(i)).sort((a, b) => a - b);
      const errors = indices.map((i) => relativeError(analytic.data[i], ((w.plus.get(i) as number) - (w.minus.get(i) as number)) / (2 * h), eps));
      if (errors.length !== check.count || errors.reduce((a, b) => Math.max(a, b), -Infinity) !== check.max) continue;
      const distribution: ErrorDistribution = { name: check.name, histogram: histogram(errors) };
      if (check.shape.length === 2) distribution.heatmap = heatmap(indices, errors, check.shape[0], check.shape[1]);
      out.push(distribution);
    }
    return out;
  }
}

/** The element that differs from its original value, searched from where the last one was (gradcheck walks elements in order). */
function perturbedIndex(w: Watched): number {
  const data = w.tensor.data;
  const n = data.length;
  for (let k = 0; k < n; k++) {
    const i = (w.next + k) % n;
    if (data[i] !== w.original[i]) return i;
  }
  return -1;
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
