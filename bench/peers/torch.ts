/**
 * PyTorch peer: runs bench/peers/torch_step.py (float64, one thread) in a child Python that can
 * `import torch` (env GRADSPEC_PYTHON, else each python3 on PATH, else Debian's /usr/bin/python3), once
 * with glibc's default allocator and once with an allocator that keeps freed memory. The machines
 * export OPENBLAS_CORETYPE (and maybe OPENBLAS_L2_SIZE), which slow it, so the child runs without them.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, realpathSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { summarize } from "../timing.js";
import type { PeerResult } from "./peer.js";

const SCRIPT = fileURLToPath(new URL("./torch_step.py", import.meta.url));
const INSTALL = "apt-get install -y python3-torch libopenblas0-pthread (Debian), or pip install torch; GRADSPEC_PYTHON=<python> picks the interpreter";

/** glibc: serve 1.2 MB buffers from the heap and never return freed memory, so reused pages stay touched. */
const KEEP_MEMORY: Record<string, string> = { MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024), MALLOC_TRIM_THRESHOLD_: String(1024 * 1024 * 1024) };

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", ...extra };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** Every `python3` on PATH, in PATH order (a version manager's shim first, the system's later). */
function pythonsOnPath(): string[] {
  const found = new Map<string, string>();
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, "python3");
    try {
      accessSync(candidate, constants.X_OK);
      // /bin and /usr/bin are often one folder: try each interpreter once.
      const real = realpathSync(candidate);
      if (!found.has(real)) found.set(real, candidate);
    } catch {
      // Not here.
    }
  }
  return [...found.values()];
}

export interface TorchPython {
  /** The interpreter that imported torch. */
  path: string;
  /** Which were tried before it and could not, for the report. */
  without: string[];
}

function withSystemPython(onPath: string[]): string[] {
  const system = "/usr/bin/python3";
  try {
    const real = realpathSync(system);
    return onPath.some((p) => realpathSync(p) === real) ? onPath : [...onPath, system];
  } catch {
    return onPath;
  }
}

/**
 * The first interpreter that imports torch: GRADSPEC_PYTHON when set (and only it), else
 * each python3 on PATH, then Debian's /usr/bin/python3 (where apt's python3-torch lives). Null if none can.
 */
export function findTorchPython(): TorchPython | null {
  const fromEnv = process.env.GRADSPEC_PYTHON;
  const candidates = fromEnv !== undefined && fromEnv !== "" ? [fromEnv] : withSystemPython(pythonsOnPath());
  const without: string[] = [];
  for (const python of candidates) {
    const probe = spawnSync(python, ["-c", "import torch"], { env: childEnv(), encoding: "utf8", timeout: 60_000 });
    if (probe.status === 0) return { path: python, without };
    without.push(python);
  }
  return null;
}

interface TorchOutput {
  torch: string;
  threads: number;
  blas: string;
  step_ms: number[];
}

function parseOutput(stdout: string): TorchOutput | null {
  const line = stdout.trim().split("\n").pop() ?? "";
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== "object" || value === null) return null;
    const v = value as Record<string, unknown>;
    if (typeof v.torch !== "string" || typeof v.threads !== "number" || typeof v.blas !== "string" || !Array.isArray(v.step_ms)) return null;
    const ms = v.step_ms.filter((x): x is number => typeof x === "number");
    return { torch: v.torch, threads: v.threads, blas: v.blas, step_ms: ms };
  } catch {
    return null;
  }
}

export type TorchVariant = "default" | "keep-memory";

export function runTorchStep(found: TorchPython, variant: TorchVariant, steps = 200, warmup = 30): PeerResult {
  const python = found.path;
  const name = `PyTorch float64, 1 thread, ${variant === "default" ? "default allocator" : "allocator keeps memory"}`;
  const env = childEnv(variant === "default" ? {} : KEEP_MEMORY);
  const child = spawnSync(python, [SCRIPT, "--steps", String(steps), "--warmup", String(warmup)], { env, encoding: "utf8", timeout: 600_000 });
  const out = child.status === 0 ? parseOutput(child.stdout) : null;
  if (out === null) {
    const why = child.error?.message ?? child.stderr.trim().split("\n").slice(-2).join(" ");
    return { name, detail: "", skipped: `failed: ${why}` };
  }
  const blas = out.blas.includes("openblas") ? "OpenBLAS" : out.blas.includes("/blas/") ? "reference BLAS (slow: install libopenblas0-pthread)" : out.blas;
  const tuning = variant === "default" ? "" : `, MALLOC_MMAP_THRESHOLD_=32 MiB, MALLOC_TRIM_THRESHOLD_=1 GiB`;
  return {
    name,
    ms: summarize(out.step_ms),
    detail: `torch ${out.torch} (${python}${found.without.length === 0 ? "" : `; ${found.without.join(", ")} cannot import torch`}), ${out.threads} thread, ${blas}, OPENBLAS_CORETYPE unset${tuning}`,
  };
}

export function torchSkipped(): PeerResult {
  return { name: "PyTorch float64, 1 thread", detail: "", skipped: `skipped: no Python here can import torch (tried GRADSPEC_PYTHON, else each python3 on PATH and /usr/bin/python3). Install: ${INSTALL}` };
}
