import { backend } from "./backend.js";

/** A kernel's signature: it writes its results into arrays it is given. */
export type KernelFunction = (...args: never[]) => void;

/** Implementations of one kernel by backend name; `plain` runs wherever no other is registered. */
export type KernelImplementations<F extends KernelFunction> = { readonly plain?: F } & { readonly [backendName: string]: F | undefined };

/** A kernel's name, carrying its signature so that registering and looking up agree on it. */
export type KernelName<F extends KernelFunction> = string & { readonly signature?: F };

/** Declares a kernel's name with its signature `F`. */
export function kernelName<F extends KernelFunction>(name: string): KernelName<F> {
  return name;
}

const registry = new Map<string, Map<string, KernelFunction>>();

/**
 * Registers implementations of the kernel `name`, adding to (or replacing) those registered before:
 * a package registers the plain reference, and a backend's implementation may come from elsewhere.
 * Every implementation must give the plain one's results (bit for bit for elementwise kernels).
 */
export function registerKernel<F extends KernelFunction>(name: KernelName<F>, implementations: KernelImplementations<F>): void {
  let byBackend = registry.get(name);
  if (byBackend === undefined) {
    byBackend = new Map();
    registry.set(name, byBackend);
  }
  for (const [backendName, implementation] of Object.entries(implementations)) {
    if (implementation !== undefined) byBackend.set(backendName, implementation);
  }
}

/**
 * The implementation of `name` for the active backend, else the plain one. Throws if neither is
 * registered.
 */
export function kernel<F extends KernelFunction>(name: KernelName<F>): F {
  const byBackend = registry.get(name);
  const found = byBackend?.get(backend().name) ?? byBackend?.get("plain");
  if (found === undefined) throw new Error(`no kernel "${name}" is registered (its package registers it when loaded)`);
  return found as F;
}

/** Backend names with an implementation of `name`, for tests and logs. */
export function kernelBackends(name: KernelName<KernelFunction>): string[] {
  return [...(registry.get(name)?.keys() ?? [])];
}
