/**
 * Memory of the benchmark process: peaks of sampled RSS/heap/ArrayBuffers, the kernel's max RSS,
 * and an allocation probe for warm training steps (bytes kept per step between two snapshots, with
 * a forced GC before the first and a count of GCs in between).
 */
import { PerformanceObserver } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

const MIB = 1024 * 1024;

export interface MemoryPeaks {
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  arrayBuffersMiB: number;
  /** Peak resident set size as counted by the kernel (covers moments between samples). */
  maxRssMiB: number;
}

/** Keeps the largest value of each field over every `sample()`. */
export class PeakMemory {
  private rss = 0;
  private heapUsed = 0;
  private heapTotal = 0;
  private arrayBuffers = 0;

  sample(): void {
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss);
    this.heapUsed = Math.max(this.heapUsed, m.heapUsed);
    this.heapTotal = Math.max(this.heapTotal, m.heapTotal);
    this.arrayBuffers = Math.max(this.arrayBuffers, m.arrayBuffers);
  }

  peaks(): MemoryPeaks {
    this.sample();
    return {
      rssMiB: this.rss / MIB,
      heapUsedMiB: this.heapUsed / MIB,
      heapTotalMiB: this.heapTotal / MIB,
      arrayBuffersMiB: this.arrayBuffers / MIB,
      maxRssMiB: (process.resourceUsage().maxRSS * 1024) / MIB,
    };
  }
}

/** `global.gc` without the command-line flag (the flag is set at run time, then read from a fresh context). */
export function forceGc(): () => void {
  setFlagsFromString("--expose-gc");
  const gc: unknown = runInNewContext("gc");
  if (typeof gc !== "function") throw new Error("forceGc: V8 did not expose gc");
  return () => {
    gc();
  };
}

export interface AllocationReport {
  steps: number;
  /** Growth of ArrayBuffer memory (typed-array storage outside the wasm memory) per step. */
  arrayBufferBytesPerStep: number;
  /** Growth of the JS heap (small objects: tensors' headers, closures, maps) per step. */
  heapBytesPerStep: number;
  /** Growth of RSS over the window (new pages touched). */
  rssBytesPerStep: number;
  /** Garbage collections inside the window: when > 0 the growth figures are lower bounds. */
  gcs: number;
}

interface Snapshot {
  t: number;
  heapUsed: number;
  arrayBuffers: number;
  rss: number;
}

function snapshot(): Snapshot {
  const m = process.memoryUsage();
  return { t: performance.now(), heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

/**
 * Call `begin()` after warm-up (it forces a GC), `end(steps)` after the measured steps, then
 * `await result()` (GC events arrive asynchronously).
 */
export class AllocationProbe {
  private readonly gc = forceGc();
  private readonly gcTimes: number[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.gcTimes.push(entry.startTime);
  });
  private start: Snapshot | null = null;
  private stop: Snapshot | null = null;
  private steps = 0;

  constructor() {
    this.observer.observe({ entryTypes: ["gc"] });
  }

  begin(): void {
    this.gc();
    this.start = snapshot();
  }

  end(steps: number): void {
    this.stop = snapshot();
    this.steps = steps;
  }

  get started(): boolean {
    return this.start !== null;
  }

  async result(): Promise<AllocationReport | null> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    this.observer.disconnect();
    const { start, stop, steps } = this;
    if (start === null || stop === null || steps === 0) return null;
    return {
      steps,
      arrayBufferBytesPerStep: (stop.arrayBuffers - start.arrayBuffers) / steps,
      heapBytesPerStep: (stop.heapUsed - start.heapUsed) / steps,
      rssBytesPerStep: (stop.rss - start.rss) / steps,
      gcs: this.gcTimes.filter((t) => t > start.t && t < stop.t).length,
    };
  }
}
