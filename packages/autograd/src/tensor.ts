import { allocate } from "./memory.js";
import type { Rng } from "./random.js";

export type Shape = readonly number[];

let nextTensorId = 1;

/**
 * A row-major float64 array with a shape. Holds no autodiff state: the tape keeps that. Its storage is
 * chosen once, when it is allocated (by the active backend, or the allocator of a `withAllocator`
 * scope), and never moves.
 */
export class Tensor {
  readonly id = nextTensorId++;
  readonly shape: Shape;
  private readonly storage: Float64Array;

  constructor(data: Float64Array, shape: Shape) {
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new RangeError(`Tensor: data length ${data.length} does not match shape [${shape.join(", ")}] (size ${size})`);
    }
    this.storage = data;
    // Ops pass their inputs' (frozen) shapes for outputs of the same shape: share them instead of copying.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
  }

  /**
   * The elements, row-major: always the same array, writable in place (optimizers update parameters
   * through it). Under the wasm backend it may be a view of the wasm memory.
   */
  get data(): Float64Array {
    return this.storage;
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /**
   * A tensor whose every element the caller is about to write. Its contents are unspecified: zeros
   * from a fresh buffer, or what a step before left in a pooled one.
   */
  static empty(shape: Shape): Tensor {
    return new Tensor(allocate(shapeSize(shape), false), shape);
  }

  static zeros(shape: Shape): Tensor {
    return new Tensor(allocate(shapeSize(shape), true), shape);
  }

  static full(shape: Shape, value: number): Tensor {
    const t = Tensor.empty(shape);
    t.data.fill(value);
    return t;
  }

  static ones(shape: Shape): Tensor {
    return Tensor.full(shape, 1);
  }

  static scalar(value: number): Tensor {
    return Tensor.full([], value);
  }

  /** From a flat list with a shape, or from nested arrays (the shape is read from the nesting). */
  static from(values: ArrayLike<number> | NestedNumbers, shape?: Shape): Tensor {
    if (shape !== undefined) {
      const flat = Array.isArray(values) ? (values as unknown[]).flat(Infinity as 1) as number[] : Array.from(values as ArrayLike<number>);
      return new Tensor(Float64Array.from(flat), shape);
    }
    if (typeof values === "number") return Tensor.scalar(values);
    if (!Array.isArray(values)) return new Tensor(Float64Array.from(values as ArrayLike<number>), [(values as ArrayLike<number>).length]);
    const inferred = nestedShape(values);
    const flat = (values as unknown[]).flat(Infinity as 1) as number[];
    return new Tensor(Float64Array.from(flat), inferred);
  }

  /** Entries drawn from N(0, std²). */
  static randn(shape: Shape, rng: Rng, std = 1): Tensor {
    const t = Tensor.empty(shape);
    for (let i = 0; i < t.data.length; i++) t.data[i] = std * rng.normal();
    return t;
  }

  /** Entries drawn uniformly from [low, high). */
  static rand(shape: Shape, rng: Rng, low = 0, high = 1): Tensor {
    const t = Tensor.empty(shape);
    for (let i = 0; i < t.data.length; i++) t.data[i] = rng.uniformIn(low, high);
    return t;
  }

  /** The single value of a tensor of size 1. */
  item(): number {
    if (this.size !== 1) throw new RangeError(`Tensor.item: tensor of shape [${this.shape.join(", ")}] has ${this.size} elements, not 1`);
    return this.data[0];
  }

  /** The element at a full index. */
  get(...index: number[]): number {
    if (index.length !== this.rank) throw new RangeError(`Tensor.get: expected ${this.rank} indices, got ${index.length}`);
    let offset = 0;
    for (let d = 0; d < index.length; d++) {
      const i = index[d];
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[d]) {
        throw new RangeError(`Tensor.get: index ${i} out of range for axis ${d} of size ${this.shape[d]}`);
      }
      offset = offset * this.shape[d] + i;
    }
    return this.data[offset];
  }

  clone(): Tensor {
    const t = Tensor.empty(this.shape);
    t.data.set(this.data);
    return t;
  }

  toArray(): number[] {
    return Array.from(this.data);
  }

  toString(): string {
    return `Tensor([${this.shape.join(", ")}])`;
  }
}

export type NestedNumbers = number | readonly NestedNumbers[];

export function shapeSize(shape: Shape): number {
  let size = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) throw new RangeError(`invalid shape [${shape.join(", ")}]: dimensions must be non-negative integers`);
    size *= dim;
  }
  return size;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

function nestedShape(values: NestedNumbers): number[] {
  const shape: number[] = [];
  let level: NestedNumbers = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] as NestedNumbers;
  }
  return shape;
}
