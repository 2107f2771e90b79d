import cliProgress from "cli-progress";

/** What experiments report while they run. */
export interface Progress {
  /** A line of text (plain lines always; on a terminal, printed above the bars). */
  log(line: string): void;
  /** Starts a bar of `total` steps; returns a handle to advance and finish it. */
  bar(label: string, total: number): ProgressBar;
}

export interface ProgressBar {
  update(value: number, status?: string): void;
  stop(): void;
}

const silentBar: ProgressBar = { update: () => undefined, stop: () => undefined };

export const quietProgress: Progress = { log: () => undefined, bar: () => silentBar };

/**
 * A progress bar on a terminal; plain lines, never carriage returns, when output is not a terminal.
 * Bars go to stderr so stdout stays clean for results.
 */
export function consoleProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  return {
    log(line) {
      stream.write(`${line}\n`);
    },
    bar(label, total) {
      if (!tty) return silentBar;
      const bar = new cliProgress.SingleBar(
        { format: `${label} [{bar}] {value}/{total} {status}`, stream, hideCursor: true, clearOnComplete: true, barsize: 24 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { status: "" });
      return {
        update: (value, status = "") => bar.update(value, { status }),
        stop: () => bar.stop(),
      };
    },
  };
}
