/**
 * The project's one seedable PRNG: xoshiro128** seeded through splitmix32.
 * Doubles carry 53 random bits; normals use Box–Muller and keep the spare draw,
 * so a given seed always yields the same sequence on every platform.
 */
/** A generator's position in its sequence (plain data: JSON, structured clone). */
export interface RngState {
  readonly words: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  constructor(seed: number | readonly number[] = 0) {
    const parts = typeof seed === "number" ? [seed] : seed;
    let x = 0x9e3779b9;
    for (const part of parts) x = mix32(x ^ toUint32(part));
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      return mix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Everything the generator's next draws depend on, to continue its sequence elsewhere. */
  state(): RngState {
    return { words: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spareNormal };
  }

  /** A generator that continues the sequence `state` was taken from, draw for draw. */
  static fromState(state: RngState): Rng {
    const [s0, s1, s2, s3] = state.words;
    if (![s0, s1, s2, s3].every((w) => Number.isInteger(w)) || (s0 | s1 | s2 | s3) === 0) {
      throw new RangeError(`Rng.fromState: expected four 32-bit words, not all zero, got [${state.words.join(", ")}]`);
    }
    const rng = new Rng();
    rng.s0 = s0 | 0;
    rng.s1 = s1 | 0;
    rng.s2 = s2 | 0;
    rng.s3 = s3 | 0;
    rng.spareNormal = state.spareNormal;
    return rng;
  }

  /** A generator for sub-stream `key`, fully determined by this generator's seed words and the key. */
  static derive(seed: number, ...keys: number[]): Rng {
    return new Rng([seed, ...keys]);
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniformIn(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Standard normal draw. */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

function toUint32(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`Rng: seed must be a finite number, got ${value}`);
  const hi = Math.floor(value / 4294967296);
  return (value ^ mix32(hi)) >>> 0;
}
