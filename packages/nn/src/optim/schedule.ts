import { Type, type TInteger, type TNumber, type TProperties } from "@sinclair/typebox";
import type { ComponentConfig, ComponentDeclaration, ConfigOf } from "../components/declaration.js";
import { ComponentRegistry } from "../components/registry.js";

/** Learning-rate schedules: η as a function of the epoch (from 0) and the update count (from 0). */
export type Schedule = (epoch: number, update: number) => number;

/** What a schedule is built from besides its options: the run's learning rate η. */
export interface ScheduleContext {
  readonly learningRate: number;
}

export const schedules = new ComponentRegistry<Schedule, ScheduleContext>("schedule");

export function declareSchedule<O extends TProperties, T extends string>(declaration: ComponentDeclaration<O, Schedule, ScheduleContext, T>): ComponentDeclaration<O, Schedule, ScheduleContext, T> {
  return declaration;
}

const factor = (title: string, description: string): TNumber => Type.Number({ title, description, exclusiveMinimum: 0, maximum: 1 });
const updates = (title: string, description: string): TInteger => Type.Integer({ title, description, minimum: 1, maximum: 1e9 });

export const constantSchedule = schedules.register(declareSchedule({
  type: "constant",
  description: "η every epoch.",
  options: Type.Object({}),
  build: (_options, { learningRate }) => () => learningRate,
}));
export const exponentialSchedule = schedules.register(declareSchedule({
  type: "exponential",
  description: "η·decay^epoch (the report's decay 0.99 per epoch).",
  options: Type.Object({ decay: factor("Decay", "Factor applied after every epoch.") }),
  build: ({ decay }, { learningRate }) => (epoch) => learningRate * decay ** epoch,
}));
export const stepSchedule = schedules.register(declareSchedule({
  type: "step",
  description: "η·factor^⌊epoch/every⌋.",
  options: Type.Object({ every: updates("Every", "Epochs between steps."), factor: factor("Factor", "Multiplier at each step.") }),
  build: ({ every, factor }, { learningRate }) => (epoch) => learningRate * factor ** Math.floor(epoch / every),
}));
export const cyclicSchedule = schedules.register(declareSchedule({
  type: "cyclic",
  description: "Triangular (Smith 2017) between min and max, stepSize updates per half cycle; the learning rate is ignored.",
  options: Type.Object({
    min: Type.Number({ title: "Minimum", description: "Lowest learning rate.", minimum: 0 }),
    max: Type.Number({ title: "Maximum", description: "Highest learning rate (> min).", exclusiveMinimum: 0 }),
    stepSize: updates("Step size", "Updates from min to max (half a cycle)."),
  }),
  build: ({ min, max, stepSize }) => (_epoch, update) => {
    const cycle = Math.floor(1 + update / (2 * stepSize));
    const x = Math.abs(update / stepSize - 2 * cycle + 1);
    return min + (max - min) * Math.max(0, 1 - x);
  },
}));

/** A built-in schedule's config, typed from its declaration. */
export type ScheduleSpec = ConfigOf<typeof constantSchedule> | ConfigOf<typeof exponentialSchedule> | ConfigOf<typeof stepSchedule> | ConfigOf<typeof cyclicSchedule>;

/** The schedule a config describes, starting from η = learningRate. */
export function schedule(spec: ScheduleSpec | ComponentConfig, learningRate: number): Schedule {
  return schedules.build(spec, { learningRate });
}
