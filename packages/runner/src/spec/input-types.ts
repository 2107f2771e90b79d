/**
 * The shape of a spec as written, after expressions are evaluated and the schema has accepted it
 * (so every number is a number): the static types of the section declarations in sections.ts.
 * See types.ts for the resolved form.
 */
import type { Static } from "@sinclair/typebox";
import type { dataSchema, earlyTerminateSchema, gradcheckSchema, modelSchema, specRootSchema, stageSchema, sweepSchema, trainingSchema } from "./sections.js";

export type { InitInput, LayerInput, ScheduleInput } from "./component-inputs.js";
export type SpecInput = Static<typeof specRootSchema>;
export type DataInput = Static<typeof dataSchema>;
export type ModelInput = Static<typeof modelSchema>;
export type TrainingInput = Static<typeof trainingSchema>;
export type GradcheckInput = Static<typeof gradcheckSchema>;
export type EarlyTerminateInput = Static<typeof earlyTerminateSchema>;
export type StageInput = Static<typeof stageSchema>;
export type SweepInput = Static<typeof sweepSchema>;
