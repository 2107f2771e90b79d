import type { Tensor } from "@gradspec/autograd";
import type { TProperties } from "@sinclair/typebox";
import type { ComponentDeclaration } from "../components/declaration.js";
import { ComponentRegistry } from "../components/registry.js";

/** Updates parameters in place from their gradients; its state is what a checkpoint must keep. */
export interface Optimizer {
  /**
   * One update of every parameter that has a gradient. `l2` gives, per parameter name, the λ of an L2
   * penalty λ‖θ‖² whose gradient 2λ·θ joins the given one (the training's `lambda`).
   */
  step(params: ReadonlyMap<string, Tensor>, grads: ReadonlyMap<string, Tensor>, learningRate: number, l2?: ReadonlyMap<string, number>): void;
  /** Copies of the state by name, which stay valid whatever the optimizer does next. */
  copyState(): Map<string, Float64Array>;
  /** Continues from a state `copyState` gave. */
  load(state: ReadonlyMap<string, Float64Array>, params: ReadonlyMap<string, Tensor>): void;
}

/** What an optimizer is built for besides its options. */
export interface OptimizerContext {
  /** The parameters weight decay applies to (weight matrices: not biases, not batch-norm parameters). */
  readonly decayed: readonly string[];
}

export const optimizers = new ComponentRegistry<Optimizer, OptimizerContext>("optimizer");

export function declareOptimizer<O extends TProperties, T extends string>(declaration: ComponentDeclaration<O, Optimizer, OptimizerContext, T>): ComponentDeclaration<O, Optimizer, OptimizerContext, T> {
  return declaration;
}
