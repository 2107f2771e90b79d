/** How a spec may write a component before defaults are filled: a name, or {type, ...options}. */
export interface ComponentInput {
  type: string;
  [option: string]: unknown;
}

export type LayerInput = ComponentInput;
/** A name (he), {type, ...options} or {normal: std}. */
export type InitInput = string | ComponentInput | Record<string, number>;
/** A name (momentum, adam) or {type?, ...options}: without type it is sgd. */
export type OptimizerInput = string | Partial<ComponentInput>;
export type ScheduleInput = string | ComponentInput;
