import type { Backend } from "../backend.js";
import { loadAddon, type AddonLoad, type NativeAddon } from "./addon.js";
import { createNativeBackend } from "./backend.js";
import { registerNativeElementwise } from "./elementwise.js";

export { BLAS_THREADS_ENV, ADDON_ENV, loadAddon, type NativeAddon } from "./addon.js";

let state: AddonLoad | undefined;
let instance: Backend | undefined;

function loaded(): AddonLoad {
  state ??= loadAddon();
  return state;
}

// Called only while the native backend is active, so the addon has loaded.
registerNativeElementwise(() => (loaded() as { readonly addon: NativeAddon }).addon);

/** The native OpenBLAS backend, loaded on first call; null if it is not built or cannot load (see `nativeUnavailableReason()`). */
export function nativeBackend(): Backend | null {
  const current = loaded();
  if (!("addon" in current)) return null;
  instance ??= createNativeBackend(current.addon);
  return instance;
}

/** Why `nativeBackend()` is null, or null if it loaded. */
export function nativeUnavailableReason(): string | null {
  const current = loaded();
  return "reason" in current ? current.reason : null;
}

/** OpenBLAS's threads in this process (null without the native backend). */
export function nativeBlasThreads(): number | null {
  const current = loaded();
  return "addon" in current ? current.addon.threads() : null;
}

/**
 * The addon's functions, for packages above to register its kernels beyond the Backend's (the
 * momentum update, byte standardization) under their names; null if it is not built or cannot load.
 */
export function nativeAddon(): NativeAddon | null {
  const current = loaded();
  return "addon" in current ? current.addon : null;
}
