export { main, EXIT, type CliIo } from "./cli.js";
export { runSpecFile, type RunOptions, type RunOutcome } from "./run/execute.js";
export { renderRun } from "./run/render.js";
export { RunFolder } from "./run/run-folder.js";
export type { RunSummary, TrainedRun, GradcheckCase, SweepStageSummary, RunStatus } from "./run/summary.js";
export { consoleProgress, quietProgress, type Progress, type ProgressBar } from "./run/progress.js";
export * from "./data/index.js";
export * from "./spec/index.js";
export * from "./report/index.js";
