/**
 * The one place that touches vega and vega-lite: compiles a Vega-Lite spec and renders it headless to
 * an SVG string (renderer "none"; text widths are estimated, so no canvas package is needed).
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export type ChartSpec = TopLevelSpec;

export interface RenderOptions {
  /** Receives compiler and runtime warnings (default: discarded, so rendering never writes to the console). */
  onWarning?: (message: string) => void;
}

const ERROR = 1;
const WARN = 2;

const text = (args: readonly unknown[]): string => args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ");

/**
 * A logger for vega and vega-lite that forwards warnings to a callback and keeps errors, instead of
 * printing. Vega calls the methods detached from the object, so they are arrow functions.
 */
class CollectingLogger {
  readonly errors: string[] = [];
  #level = WARN;
  constructor(private readonly onWarning: (message: string) => void) {}
  readonly level = ((value?: number): number | CollectingLogger => {
    if (value === undefined) return this.#level;
    this.#level = value;
    return this;
  }) as { (): number; (value: number): CollectingLogger };
  readonly error = (...args: unknown[]): this => {
    if (this.#level >= ERROR) this.errors.push(text(args));
    return this;
  };
  readonly warn = (...args: unknown[]): this => {
    if (this.#level >= WARN) this.onWarning(text(args));
    return this;
  };
  readonly info = (): this => this;
  readonly debug = (): this => this;
}

/** Renders a Vega-Lite spec to an SVG document; compile or dataflow errors reject with their messages. */
export async function renderSvg(spec: ChartSpec, options: RenderOptions = {}): Promise<string> {
  const logger = new CollectingLogger(options.onWarning ?? (() => undefined));
  const { spec: vgSpec } = compile(spec, { logger });
  const view = new View(parse(vgSpec), { renderer: "none", logger });
  try {
    const svg = await view.toSVG();
    if (logger.errors.length > 0) throw new Error(`chart rendering failed: ${logger.errors.join("; ")}`);
    return svg.includes('xmlns="http://www.w3.org/2000/svg"') ? svg : svg.replace(/^<svg\b/, '<svg xmlns="http://www.w3.org/2000/svg"');
  } finally {
    view.finalize();
  }
}
