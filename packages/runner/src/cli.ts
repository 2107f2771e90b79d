import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { cac } from "cac";
import { CheckpointError, SafetensorsError } from "@gradspec/nn";
import { DataError } from "./data/errors.js";
import { consoleProgress, quietProgress } from "./run/progress.js";
import { runSpecFile, type RunOptions } from "./run/execute.js";
import { QueueExecutor } from "./sweep/queue/queue-executor.js";
import { runQueueWorker } from "./sweep/queue/queue-worker.js";
import { parseRedisUrl, QueueError, type RedisAddress } from "./sweep/queue/redis-link.js";
import { reportCommand } from "./run/report-command.js";
import { evalCheckpoint, evalText } from "./run/eval-command.js";
import { portNumber, serve, servedFolder, ServeError } from "./serve/server.js";
import { loadSpecFile, specSchema, SpecError } from "./spec/index.js";
import { finalLine } from "./run/final-line.js";
import { FolderBusy, FolderError } from "./run/identity.js";
import { FolderIoError } from "./run/folder-io.js";
import { loadPlugins, PLUGIN_HELP } from "./run/plugins.js";
import { UsageError } from "./run/usage-error.js";
import { SweepInterrupted } from "./sweep/controller.js";

export const EXIT = { ok: 0, runFailed: 1, badInput: 2, interrupted: 130 } as const;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };


/** Runs the `gradspec` command; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const cli = cac("gradspec");
  let action: (() => Promise<number>) | undefined;

  cli
    .command("run <spec>", "Run a spec and write a run folder (default runs/<name>-<timestamp>)")
    .option("--out <dir>", "Run folder (an existing sweep folder, or an interrupted train run's, resumes)")
    .option("--resume <dir>", "Continue the train run in this folder from its last checkpoint, finished or not (training.epochs may be raised)")
    .option("--set <key=value>", "Override a key of the spec, e.g. --set training.epochs=2 (repeatable)")
    .option("--plugin <module>", PLUGIN_HELP)
    .option("--quiet", "Print only the final line")
    .option("--queue <redis://host:port>", "Sweeps: put the trials on this Redis queue for gradspec worker processes (this process is the controller)")
    .option("--redis-timeout <s>", "With --queue: give up when Redis has not answered for this long", { default: 10 })
    .example("gradspec run specs/quickstart.yaml")
    .example("GRADSPEC_DATA=path/to/cifar-10-batches-bin gradspec run specs/report/s4-eta-0.03.yaml --set data.limit.train=1000 --set training.epochs=2")
    .action((spec: string, options: { out?: string; resume?: string; set?: string | string[]; plugin?: string | string[]; quiet?: boolean; queue?: string; redisTimeout?: string | number }) => {
      action = async () => {
        if (options.resume !== undefined && options.out !== undefined && resolve(String(options.out)) !== resolve(String(options.resume))) {
          throw new UsageError("--resume DIR continues the run in DIR and writes there; leave out --out");
        }
        const out = options.resume ?? options.out;
        await loadPlugins(list(options.plugin));
        const progress = options.quiet ? quietProgress : consoleProgress();
        return untilInterrupted(async (signal) => {
          const queue = options.queue === undefined ? undefined : queueAddress(String(options.queue));
          const runOptions: RunOptions = { overrides: list(options.set), progress, signal, ...(out === undefined ? {} : { out: String(out) }), ...(options.resume === undefined ? {} : { resume: true }) };
          if (queue !== undefined) {
            const outageSeconds = positiveInteger(options.redisTimeout ?? 10, "--redis-timeout");
            runOptions.openExecutor = (identity, specDir) => QueueExecutor.open({ address: queue, sweep: identity.hash.slice(0, 16), specDir, outageSeconds, log: (line) => progress.log(line) });
          }
          const { folder, summary } = await runSpecFile(spec, runOptions);
          io.out(`${finalLine(summary)}\nresults: ${folder.path}\n`);
          return summary.status === "completed" ? EXIT.ok : EXIT.runFailed;
        });
      };
    });

  cli
    .command("worker", "Train sweep trials from a Redis queue (start as many as you like, on any machine)")
    .option("--queue <redis://host:port>", "The Redis the controller (gradspec run SPEC --queue …) uses")
    .option("--concurrency <n>", "Trials at once, one per worker thread (default: this machine's cores)")
    .option("--data <dir>", "This machine's CIFAR-10 folder (default: GRADSPEC_DATA)")
    .option("--stalled-seconds <s>", "Lock of a running trial; a dead worker's trial is retried after about twice this", { default: 30 })
    .option("--redis-timeout <s>", "Give up when Redis has not answered for this long", { default: 10 })
    .option("--plugin <module>", `${PLUGIN_HELP}; give a worker the --plugin modules the sweep's spec needs`)
    .example("gradspec worker --queue redis://10.0.0.5:6379 --data /data/cifar-10-batches-bin")
    .action((options: { queue?: string; concurrency?: string | number; data?: string; stalledSeconds?: string | number; redisTimeout?: string | number; plugin?: string | string[] }) => {
      action = async () => {
        if (options.queue === undefined) throw new UsageError("gradspec worker: --queue redis://HOST:PORT is required (the Redis the controller uses)");
        await loadPlugins(list(options.plugin));
        const address = queueAddress(String(options.queue));
        const concurrency = positiveInteger(options.concurrency ?? availableParallelism(), "--concurrency");
        const stalledSeconds = positiveInteger(options.stalledSeconds ?? 30, "--stalled-seconds");
        const outageSeconds = positiveInteger(options.redisTimeout ?? 10, "--redis-timeout");
        if (options.data !== undefined) process.env.GRADSPEC_DATA = resolve(String(options.data));
        return untilInterrupted((signal) => runQueueWorker({ address, concurrency, stalledSeconds, outageSeconds, specDir: process.cwd(), signal, log: (line) => io.err(`${line}\n`) }));
      };
    });

  cli
    .command("validate <...specs>", "Check specs against the schema without running them")
    .option("--set <key=value>", "Override a key before validating (repeatable)")
    .option("--plugin <module>", PLUGIN_HELP)
    .action((specs: string[], options: { set?: string | string[]; plugin?: string | string[] }) => {
      action = async () => {
        await loadPlugins(list(options.plugin));
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

  cli
    .command("schema", "Print the JSON Schema of specs (with the --plugin modules' layers, optimizers, schedules and initializers)")
    .option("--plugin <module>", PLUGIN_HELP)
    .action((options: { plugin?: string | string[] }) => {
    action = async () => {
      await loadPlugins(list(options.plugin));
      io.out(`${JSON.stringify(specSchema(), null, 2)}\n`);
      return EXIT.ok;
    };
  });

  cli
    .command("report <...dirs>", "Draw a run folder's tables, plots and report.html again from its summary.json; several folders: compare them on one page")
    .option("--html [out]", "Only report.html; with several run folders (or a file name), write their comparison there")
    .example("gradspec report runs/short --html")
    .example("gradspec report runs/bn runs/no-bn --html compare.html")
    .action((dirs: string[], options: { html?: string | boolean }) => {
      action = async () => {
        for (const line of await reportCommand({ dirs, ...(options.html === undefined ? {} : { html: options.html }) })) io.out(`${line}\n`);
        return EXIT.ok;
      };
    });

  cli
    .command("eval <checkpoint>", "Accuracy, loss and confusion matrix of a checkpoint on one split, fed with its stored preprocessing")
    .option("--data <dir>", "The CIFAR-10 folder (default: GRADSPEC_DATA); MNIST and synthetic data need none")
    .option("--split <name>", "test, train, validation (as the run made them) or a CIFAR-10 batch name such as data_batch_5", { default: "test" })
    .option("--json", "Print the result as JSON")
    .example("gradspec eval runs/quickstart-20260101-120000/checkpoint.safetensors")
    .example("gradspec eval runs/s4/checkpoint.safetensors --data path/to/cifar-10-batches-bin --split data_batch_5 --json")
    .action((checkpoint: string, options: { data?: string; split?: string; json?: boolean }) => {
      action = async () => {
        const result = evalCheckpoint({ checkpoint, split: String(options.split ?? "test"), ...(options.data === undefined ? {} : { data: String(options.data) }) });
        io.out(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${evalText(result).join("\n")}\n`);
        return EXIT.ok;
      };
    });

  cli
    .command("serve [dir]", "Serve the run folders under a folder (default runs) on 127.0.0.1; a running sweep's page follows its trials")
    .option("--port <n>", "Port on 127.0.0.1 (0: any free port)", { default: 8484 })
    .example("gradspec serve runs --port 8484")
    .action((dir: string | undefined, options: { port?: string | number }) => {
      action = async () => {
        const root = servedFolder(dir ?? "runs");
        const port = portNumber(options.port ?? 8484);
        await untilInterrupted((signal) => serve({ root, port, signal, log: (line) => io.out(`${line}\n`) }));
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

/**
 * `gradspec` as a process: runs main and exits with its code. Everything is written by then; a client
 * library still retrying a connection that is gone (Redis) must not keep the process alive.
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  const code = await main(argv);
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1000).unref();
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
  if (error instanceof DataError || error instanceof CheckpointError || error instanceof SafetensorsError || error instanceof QueueError || error instanceof FolderBusy || error instanceof FolderIoError || error instanceof ServeError) {
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

/** Runs `work` with a signal that SIGINT and SIGTERM abort (so it can stop cleanly and say so). */
async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = new AbortController();
  const stop = (): void => interrupt.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    return await work(interrupt.signal);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

function queueAddress(url: string): RedisAddress {
  try {
    return parseRedisUrl(url);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function positiveInteger(value: string | number, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option}: expected a whole number ≥ 1, got ${JSON.stringify(String(value))}`);
  return n;
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}
