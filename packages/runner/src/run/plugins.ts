import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { errorCode } from "../error-code.js";
import { UsageError } from "./usage-error.js";

/** What `--plugin` means, for --help and the docs: it is code, run with the user's rights. */
export const PLUGIN_HELP =
  "Import a module before the spec is read, e.g. one that registers a layer (repeatable). It is trusted code: it runs with your rights, like any script you run (a path, a package name or a data: URL). .ts plugins load through tsx";

const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);

/** tsx's ESM API, imported by a computed name so bundlers leave it alone (it is optional). */
interface TsxApi {
  register(options?: { tsconfig?: false | string }): () => Promise<void>;
}
let tsxRegistered = false;

async function registerTypeScript(module: string): Promise<void> {
  if (tsxRegistered) return;
  const specifier = "tsx/esm/api";
  let api: TsxApi;
  try {
    api = (await import(specifier)) as TsxApi;
  } catch {
    throw new UsageError(`--plugin ${module}: a TypeScript plugin needs tsx to load it: npm install --save-dev tsx, or compile the plugin to .js`);
  }
  // Without tsconfig paths, the plugin's imports resolve as Node resolves them, to the same
  // @gradspec packages as this command (a second copy would have its own layer registry and tape).
  api.register({ tsconfig: false });
  tsxRegistered = true;
}

const loaded: string[] = [];

/** The plugins this thread imported (paths made absolute): worker threads and queue workers import the same. */
export function loadedPlugins(): readonly string[] {
  return [...loaded];
}

/** Imports each module in order (paths relative to the working directory); a failure is one line naming it. */
export async function loadPlugins(modules: readonly string[]): Promise<void> {
  for (const module of modules) {
    const isPath = module.startsWith(".") || module.startsWith("/");
    if (loaded.includes(isPath ? resolve(module) : module)) continue;
    const url = isPath ? pathToFileURL(resolve(module)).href : module;
    try {
      await importPlugin(module, url, isPath && TYPESCRIPT.has(extname(module)));
      loaded.push(isPath ? resolve(module) : module);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--plugin ${module}: cannot import it (${(error instanceof Error ? error.message : String(error)).split("\n")[0]})`);
    }
  }
}

/** A TypeScript plugin is imported as is when this process already loads TypeScript (it runs under tsx), else through tsx. */
async function importPlugin(module: string, url: string, typescript: boolean): Promise<void> {
  try {
    await import(url);
  } catch (error) {
    if (!typescript || errorCode(error) !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
    await registerTypeScript(module);
    // A failed import stays failed for its URL: ask again under another one.
    await import(`${url}?typescript`);
  }
}
