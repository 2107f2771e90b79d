import { Tensor, formatShape, sameShape } from "./tensor.js";
import { SUM_TO_SHAPE_KERNEL } from "./kernels/elementwise-kernels.js";
import { kernel } from "./kernels/registry.js";

/**
 * Vector-Jacobian product of one recorded op: given the gradient of the output and which inputs need a
 * gradient, returns one gradient per input (null where not needed or not differentiable).
 */
export type Vjp = (outputGrad: Tensor, needed: readonly boolean[]) => readonly (Tensor | null)[];

interface TapeNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly vjp: Vjp;
}

const activeTapes: Tape[] = [];

/**
 * Records ops whose inputs are watched (or were computed from watched tensors) while the tape is
 * active; `gradient` walks the records in reverse. A tape can be reset and used again.
 */
export class Tape {
  private readonly nodes: TapeNode[] = [];
  private readonly tracked = new Set<number>();
  // `needed` flags handed to VJPs, one array per input count, reused by every call but a nested one.
  private readonly neededByArity: boolean[][] = [];
  private depth = 0;

  /** Marks tensors as variables to differentiate with respect to. */
  watch(...tensors: Tensor[]): void {
    for (const t of tensors) this.tracked.add(t.id);
  }

  isTracked(t: Tensor): boolean {
    return this.tracked.has(t.id);
  }

  /** Runs `fn` with this tape recording. */
  run<T>(fn: () => T): T {
    activeTapes.push(this);
    try {
      return fn();
    } finally {
      const top = activeTapes.pop();
      if (top !== this) throw new Error("Tape.run: tapes were not closed in order");
    }
  }

  /** Called by ops: records the op if any input is tracked. */
  record(op: string, inputs: readonly Tensor[], output: Tensor, vjp: Vjp): void {
    if (!anyIn(inputs, this.tracked)) return;
    this.tracked.add(output.id);
    this.nodes.push({ op, inputs, output, vjp });
  }

  get length(): number {
    return this.nodes.length;
  }

  /** Forgets every record and every watched tensor. */
  reset(): void {
    this.nodes.length = 0;
    this.tracked.clear();
  }

  /**
   * Gradients of `output` with respect to `sources`. A scalar output is seeded with 1; otherwise pass
   * `outputGrad`. Sources that the output does not depend on, or that
   * were never watched (constants), get a zero gradient.
   */
  gradient(output: Tensor, sources: readonly Tensor[], outputGrad?: Tensor): Tensor[] {
    const seed = outputGrad ?? seedFor(output);
    if (!sameShape(seed.shape, output.shape)) {
      throw new RangeError(`Tape.gradient: output gradient shape ${formatShape(seed.shape)} does not match output ${formatShape(output.shape)}`);
    }
    // An unwatched source is a constant: it gets a zero gradient even if the output used it.
    const dependsOnSource = new Set<number>();
    for (const source of sources) if (this.tracked.has(source.id)) dependsOnSource.add(source.id);
    for (const node of this.nodes) {
      if (anyIn(node.inputs, dependsOnSource)) dependsOnSource.add(node.output.id);
    }
    const grads = new Map<number, Tensor>();
    grads.set(output.id, seed);
    this.depth++;
    try {
      for (let n = this.nodes.length - 1; n >= 0; n--) {
        const node = this.nodes[n];
        const dy = grads.get(node.output.id);
        if (dy === undefined || !dependsOnSource.has(node.output.id)) continue;
        const needed = this.neededFlags(node.inputs, dependsOnSource);
        const inputGrads = node.vjp(dy, needed);
        for (let i = 0; i < node.inputs.length; i++) {
          const g = inputGrads[i];
          if (!needed[i] || g === null || g === undefined) continue;
          accumulate(grads, node.inputs[i], g, node.op);
        }
      }
    } finally {
      this.depth--;
    }
    const result = new Array<Tensor>(sources.length);
    for (let i = 0; i < sources.length; i++) result[i] = grads.get(sources[i].id) ?? Tensor.zeros(sources[i].shape);
    return result;
  }

  private neededFlags(inputs: readonly Tensor[], dependsOnSource: ReadonlySet<number>): boolean[] {
    const arity = inputs.length;
    let flags = this.depth === 1 ? this.neededByArity[arity] : undefined;
    if (flags === undefined) {
      flags = new Array<boolean>(arity);
      if (this.depth === 1) this.neededByArity[arity] = flags;
    }
    for (let i = 0; i < arity; i++) flags[i] = dependsOnSource.has(inputs[i].id);
    return flags;
  }
}

function anyIn(inputs: readonly Tensor[], ids: ReadonlySet<number>): boolean {
  for (let i = 0; i < inputs.length; i++) if (ids.has(inputs[i].id)) return true;
  return false;
}

function seedFor(output: Tensor): Tensor {
  if (output.size !== 1) {
    throw new RangeError(`Tape.gradient: output of shape ${formatShape(output.shape)} is not a scalar; pass its gradient`);
  }
  return Tensor.ones(output.shape);
}

function accumulate(grads: Map<number, Tensor>, input: Tensor, g: Tensor, op: string): void {
  if (g.size !== input.size) {
    throw new RangeError(`${op}: gradient of shape ${formatShape(g.shape)} for an input of shape ${formatShape(input.shape)}`);
  }
  const existing = grads.get(input.id);
  if (existing === undefined) {
    grads.set(input.id, g.shape === input.shape ? g : new Tensor(g.data, input.shape));
    return;
  }
  const sum = existing.clone();
  kernel(SUM_TO_SHAPE_KERNEL)(g.data, input.shape, sum.data, input.shape);
  grads.set(input.id, sum);
}

/** Records an op on every active tape that tracks one of its inputs. Ops call this after computing. */
export function recordOp(op: string, inputs: readonly Tensor[], output: Tensor, vjp: Vjp): Tensor {
  for (const tape of activeTapes) tape.record(op, inputs, output, vjp);
  return output;
}

export interface ValueAndGrad<P extends Record<string, Tensor>> {
  value: Tensor;
  grads: { [K in keyof P]: Tensor };
}

/**
 * `valueAndGrad(f)(params)`: the value of the scalar function f at params and its gradient with
 * respect to every named parameter.
 */
export function valueAndGrad<P extends Record<string, Tensor>>(
  f: (params: P) => Tensor,
): (params: P) => ValueAndGrad<P> {
  return (params) => {
    const tape = new Tape();
    const names = Object.keys(params) as (keyof P & string)[];
    const tensors = names.map((name) => params[name]);
    tape.watch(...tensors);
    const value = tape.run(() => f(params));
    const gradients = tape.gradient(value, tensors);
    const grads = {} as { [K in keyof P]: Tensor };
    names.forEach((name, i) => {
      grads[name] = gradients[i];
    });
    return { value, grads };
  };
}

/** `grad(f)(params)`: only the gradients. */
export function grad<P extends Record<string, Tensor>>(f: (params: P) => Tensor): (params: P) => { [K in keyof P]: Tensor } {
  const vg = valueAndGrad(f);
  return (params) => vg(params).grads;
}
