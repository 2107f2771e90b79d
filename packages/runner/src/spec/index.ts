/** The spec language: JSON Schema, YAML loading with positions, expressions, overrides, defaults. */
export { loadSpecFile, loadSpecText, type LoadedSpec, type LoadOptions } from "./load.js";
export { validateSpec } from "./validate.js";
export { applyOverrides, parseOverride, type ParsedOverride } from "./overrides.js";
export { deriveTrainSpec } from "./derive.js";
export { specSchema } from "./schema.js";
export { toYaml } from "./to-yaml.js";
export { modelLayers } from "./layers.js";
export { evaluateExpression, type Evaluation } from "./expressions.js";
export { SpecError, formatIssue, type SpecIssue } from "./issues.js";
export { DEFAULTS, dataShape } from "./defaults.js";
export type * from "./types.js";
