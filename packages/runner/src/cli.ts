import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { cac } from "cac";
import { CheckpointError, SafetensorsError } from "@gradspec/nn";
import { DataError } from "./data/errors.js";
import { consoleProgress, quietProgress } from "./run/progress.js";
import { runSpecFile } from "./run/execute.js";
import { renderRun } from "./run/render.js";
import { RunFolder } from "./run/run-folder.js";
import type { RunSummary } from "./run/summary.js";
import { loadSpecFile, specSchema, SpecError } from "./spec/index.js";
import { finalLine } from "./run/final-line.js";
import { FolderError } from "./run/identity.js";
import { SweepInterrupted } from "./sweep/controller.js";

export const EXIT = { ok: 0, runFailed: 1, badInput: 2, interrupted: 130 } as const;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

class UsageError extends Error {}

/** Runs the `gradspec` command; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const cli = cac("gradspec");
  let action: (() => Promise<number>) | undefined;

  cli
    .command("run <spec>", "Run a spec and write a run folder (default runs/<name>-<timestamp>)")
    .option("--out <dir>", "Run folder (an existing sweep folder resumes)")
    .option("--set <key=value>", "Override a key of the spec, e.g. --set training.epochs=2 (repeatable)")
    .option("--plugin <module>", "Import a module first (e.g. one that registers a custom layer; repeatable)")
    .option("--quiet", "Print only the final line")
    .example("gradspec run specs/quickstart.yaml")
    .example("GRADSPEC_DATA=path/to/cifar-10-batches-bin gradspec run specs/report/s4-eta-0.03.yaml --set data.limit.train=1000 --set training.epochs=2")
    .action((spec: string, options: { out?: string; set?: string | string[]; plugin?: string | string[]; quiet?: boolean }) => {
      action = async () => {
        await loadPlugins(list(options.plugin));
        const progress = options.quiet ? quietProgress : consoleProgress();
        const interrupt = new AbortController();
        const stop = (): void => interrupt.abort();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        try {
          const runOptions = { overrides: list(options.set), progress, signal: interrupt.signal, ...(options.out === undefined ? {} : { out: options.out }) };
          const { folder, summary } = await runSpecFile(spec, runOptions);
          io.out(`${finalLine(summary)}\nresults: ${folder.path}\n`);
          return summary.status === "completed" ? EXIT.ok : EXIT.runFailed;
        } finally {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
        }
      };
    });

  cli
    .command("validate <...specs>", "Check specs against the schema without running them")
    .option("--set <key=value>", "Override a key before validating (repeatable)")
    .action((specs: string[], options: { set?: string | string[] }) => {
      action = async () => {
        let failed = false;
        for (const file of specs) {
          try {
            loadSpecFile(file, { overrides: list(options.set) });
            io.out(`${file}: ok\n`);
          } catch (error) {
            if (!(error instanceof SpecError)) throw error;
            io.err(`${error.message}\n`);
            failed = true;
          }
        }
        return failed ? EXIT.badInput : EXIT.ok;
      };
    });

  cli.command("schema", "Print the JSON Schema of specs").action(() => {
    action = async () => {
      io.out(`${JSON.stringify(specSchema(), null, 2)}\n`);
      return EXIT.ok;
    };
  });

  cli.command("report <dir>", "Render a run folder's tables and plots again from its summary.json").action((dir: string) => {
    action = async () => {
      const folder = new RunFolder(dir);
      if (!folder.has("summary.json")) throw new UsageError(`${resolve(dir)}: no summary.json here; pass a run folder written by gradspec run`);
      const summary = JSON.parse(folder.read("summary.json")) as RunSummary;
      const written = await renderRun(summary, folder);
      io.out(`${folder.path}: wrote ${written.join(", ")}\n`);
      return EXIT.ok;
    };
  });

  cli.help();
  cli.version(packageVersion());

  try {
    cli.parse(["node", "gradspec", ...argv], { run: false });
    if (cli.options.help || cli.options.version) return EXIT.ok;
    if (cli.matchedCommand) await cli.runMatchedCommand();
    if (action === undefined) {
      if (argv.length > 0) throw new UsageError(`unknown command ${JSON.stringify(argv[0])}; run gradspec --help`);
      cli.outputHelp();
      return EXIT.badInput;
    }
    return await action();
  } catch (error) {
    return report(error, io);
  }
}

/** One line per problem, never a stack trace (GRADSPEC_DEBUG=1 shows it). */
function report(error: unknown, io: CliIo): number {
  if (process.env.GRADSPEC_DEBUG && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  if (error instanceof SweepInterrupted) {
    io.err(`${error.message}\n`);
    return EXIT.interrupted;
  }
  if (error instanceof SpecError || error instanceof UsageError || error instanceof FolderError) {
    io.err(`${error.message}\n`);
    return EXIT.badInput;
  }
  if (error instanceof DataError || error instanceof CheckpointError || error instanceof SafetensorsError) {
    io.err(`${error.message}\n`);
    return EXIT.runFailed;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === "CACError") {
    io.err(`gradspec: ${message}; run gradspec --help\n`);
    return EXIT.badInput;
  }
  io.err(`gradspec: ${message}\n`);
  return EXIT.runFailed;
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

async function loadPlugins(modules: readonly string[]): Promise<void> {
  for (const module of modules) {
    const url = module.startsWith(".") || module.startsWith("/") ? pathToFileURL(resolve(module)).href : module;
    try {
      await import(url);
    } catch (error) {
      throw new UsageError(`--plugin ${module}: cannot import it (${(error as Error).message})`);
    }
  }
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}
