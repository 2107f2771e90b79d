import type { Rng, Tensor } from "@gradspec/autograd";
import type { Initializer } from "../init.js";

export interface ForwardContext {
  /** Training mode: batch norm uses and updates batch statistics; eval mode uses running ones. */
  readonly training: boolean;
  /** Layers that draw random numbers in training (dropout) reuse the current step's draws: for gradient checks. */
  readonly holdRandomness?: boolean;
}

/** A layer as written in a spec or a checkpoint's metadata: its registered type and its options. */
export interface LayerConfig {
  readonly type: string;
  readonly [option: string]: unknown;
}

/**
 * One stage of a network. Parameters are updated in place by optimizers (their tensors are never
 * replaced), so a layer may hold on to them.
 */
export interface Layer {
  readonly type: string;
  /** Trainable parameters by local name (e.g. W, b, gamma, beta). */
  readonly params: Readonly<Record<string, Tensor>>;
  /** Local names of the parameters that L2 regularization applies to (weight matrices only). */
  readonly decayed: readonly string[];
  /** Non-trainable state kept in checkpoints (e.g. running statistics). */
  readonly buffers: Readonly<Record<string, Tensor>>;
  /** Number of features out, given the number in. */
  readonly outputDim: number;
  forward(x: Tensor, ctx: ForwardContext): Tensor;
  /** The config that rebuilds this layer through the registry. */
  describe(): LayerConfig;
  /**
   * How each parameter and buffer (by local name) is laid out and used, in words, for checkpoint
   * readers in other tools (e.g. "in×out: y = x·W + b"). Optional: checkpoints say "not described".
   */
  layouts?(): Readonly<Record<string, string>>;
}

/** What a layer factory gets besides its own config. */
export interface BuildContext {
  readonly inputDim: number;
  readonly rng: Rng;
  /** The network's default weight initializer, for layers whose config names none. */
  readonly init: Initializer;
}
