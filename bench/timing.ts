/**
 * Timing helpers. Host noise here is about ±30%, so every figure is a best and a median over
 * repeated samples, and variants are measured interleaved in one process.
 */

export interface Summary {
  /** Smallest sample. */
  best: number;
  /** Middle sample (lower middle for an even count). */
  median: number;
  /** Number of samples. */
  count: number;
}

/** Best and median of `samples` (any unit); NaN for an empty list. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { best: Number.NaN, median: Number.NaN, count: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  return { best: sorted[0], median: sorted[Math.floor((sorted.length - 1) / 2)], count: sorted.length };
}

/** Milliseconds since an arbitrary origin, sub-millisecond resolution. */
export function nowMs(): number {
  return performance.now();
}

/** Runs `fn` `warmup` times untimed, then `reps` times timed; returns milliseconds per call. */
export function sampleMs(fn: () => void, reps: number, warmup = 1): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = nowMs();
    fn();
    samples.push(nowMs() - t0);
  }
  return samples;
}

/** Lets queued events (timers, worker messages) run between measurements. */
export async function yieldToEventLoop(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

/** "12.3" / "0.456": three significant-ish digits for milliseconds and seconds. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(digits);
}

/** "best / median" of a summary. */
export function bestMedian(s: Summary, digits = 3): string {
  return `${fmt(s.best, digits)} / ${fmt(s.median, digits)}`;
}
