import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { useBestBackend } from "@gradspec/autograd";
import { runCompare } from "../experiments/compare.js";
import { runGradcheck } from "../experiments/gradcheck.js";
import { runSweep } from "../experiments/sweep.js";
import { runTrain, type ExperimentContext } from "../experiments/train.js";
import { deriveTrainSpec, loadSpecFile, toYaml } from "../spec/index.js";
import type { DataSpec, ResolvedSpec } from "../spec/types.js";
import type { TrialExecutor } from "../sweep/executors/executor.js";
import { UsageError } from "./usage-error.js";
import { checkRunMemory } from "./memory-estimate.js";
import { claimFolder, FolderError, IDENTITY_FILE, lockFolder, runIdentity, type RunIdentity } from "./identity.js";
import type { Progress } from "./progress.js";
import { renderRun, RESOLVED_SPEC } from "./render.js";
import { RunFolder } from "./run-folder.js";
import type { RunSummary } from "./summary.js";

export interface RunOptions {
  out?: string;
  overrides?: readonly string[];
  progress: Progress;
  /** Sweeps: where their trials run (default: this machine's worker threads). */
  openExecutor?: (identity: RunIdentity, specDir: string) => Promise<TrialExecutor>;
  /** Aborting interrupts a sweep; it resumes when run again into the same folder. */
  signal?: AbortSignal;
  /**
   * `out` holds a train run to continue from its last checkpoint, finished or not, and training.epochs
   * may be raised. (An interrupted train run in `out` continues without it.)
   */
  resume?: boolean;
}

export interface RunOutcome {
  folder: RunFolder;
  summary: RunSummary;
}

/** Loads and validates a spec (throws SpecError before anything is written), runs it, writes the run folder. */
export async function runSpecFile(specFile: string, options: RunOptions): Promise<RunOutcome> {
  const loaded = loadSpecFile(specFile, { overrides: options.overrides ?? [], checkResolved: checkRunMemory });
  const spec = loaded.spec;
  if (options.openExecutor !== undefined && spec.experiment !== "sweep") {
    throw new UsageError(`--queue runs the trials of a sweep on queue workers; ${specFile} is a ${spec.experiment} experiment (run it without --queue)`);
  }
  if (options.resume === true && spec.experiment !== "train") {
    throw new UsageError(`--resume continues a train run; ${specFile} is a ${spec.experiment} experiment (${spec.experiment === "sweep" ? "run it again with --out on its folder to resume it" : "run it anew"})`);
  }
  if (options.resume === true && (options.out === undefined || !existsSync(join(options.out, IDENTITY_FILE)))) {
    throw new FolderError(`--resume ${options.out ?? ""}: no run folder there (it has no ${IDENTITY_FILE}); pass the folder a train run wrote`);
  }
  const specDir = dirname(resolve(specFile));
  const identity = runIdentity(spec, dataSections(spec, loaded.raw), specDir);
  const folder = new RunFolder(options.out ?? RunFolder.defaultPath(spec.name));
  const lock = lockFolder(folder);
  try {
    const resume = options.resume === true;
    const claim = claimFolder(folder, identity, { resumable: spec.experiment === "sweep" || resume, extendEpochs: resume });
    return await runInFolder(folder, loaded, identity, specFile, { ...options, resume: claim === "resume" });
  } finally {
    lock.release();
  }
}

async function runInFolder(folder: RunFolder, loaded: ReturnType<typeof loadSpecFile>, identity: RunIdentity, specFile: string, options: RunOptions): Promise<RunOutcome> {
  const spec = loaded.spec;
  const specDir = dirname(resolve(specFile));
  folder.write(RESOLVED_SPEC, toYaml(spec));
  const kernels = useBestBackend();
  options.progress.log(`${spec.name}: ${spec.experiment} → ${folder.path} (kernels: ${kernels.name})`);
  const forced = process.env["OPENBLAS_CORETYPE"];
  if (kernels.name === "native" && forced !== undefined && forced !== "") {
    options.progress.log(`note: OPENBLAS_CORETYPE=${forced} makes OpenBLAS use those kernels instead of this CPU's own (about 1.5× slower products on AVX-512 cores); unset it for speed`);
  }
  const started = new Date();
  const t0 = performance.now();
  const ctx: ExperimentContext = { specFile: resolve(specFile), folder, progress: options.progress, ...(options.resume === true ? { resume: true } : {}) };
  const base = { name: spec.name, experiment: spec.experiment, started: started.toISOString() };
  let partial: Omit<RunSummary, "name" | "experiment" | "started" | "seconds">;
  switch (spec.experiment) {
    case "train":
      partial = runTrain(spec, ctx);
      break;
    case "gradcheck":
      partial = await runGradcheck(spec, ctx);
      break;
    case "compare":
      partial = runCompare(spec, loaded.raw, ctx);
      break;
    case "sweep": {
      const open = options.openExecutor;
      partial = await runSweep(spec, loaded.raw, {
        ...ctx,
        ...(open === undefined ? {} : { openExecutor: () => open(identity, specDir) }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      break;
    }
  }
  const summary: RunSummary = { ...base, ...partial, seconds: (performance.now() - t0) / 1000 };
  folder.writeJson("summary.json", summary);
  await renderRun(summary, folder);
  return { folder, summary };
}

/** Every data section a spec's runs read: its own, and those its variants or final retrainings set. */
function dataSections(spec: ResolvedSpec, raw: Record<string, unknown>): DataSpec[] {
  const sections = [spec.data];
  if (spec.experiment === "compare") {
    for (const v of spec.compare.variants) sections.push(deriveTrainSpec(raw, v.set, `compare.variants[${v.name}]`).data);
  }
  if (spec.experiment === "sweep" && spec.sweep.final !== undefined) sections.push(deriveTrainSpec(raw, spec.sweep.final.set, "sweep.final").data);
  return sections;
}
