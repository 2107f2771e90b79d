import { nativeBackend, nativeUnavailableReason, plainBackend, wasmBackend, wasmUnavailableReason, type Backend } from "@gradspec/autograd";

export interface TestBackend {
  name: "plain" | "wasm" | "native";
  /** Null when it cannot load here; the tests on it skip. */
  backend: Backend | null;
  /** Why it cannot load, or null. */
  reason: string | null;
}

let said = false;

/** Every backend, with the reason a missing one skips (printed once per test file). */
export function testBackends(): TestBackend[] {
  const list: TestBackend[] = [
    { name: "plain", backend: plainBackend, reason: null },
    { name: "wasm", backend: wasmBackend(), reason: wasmUnavailableReason() },
    { name: "native", backend: nativeBackend(), reason: nativeUnavailableReason() },
  ];
  if (!said) {
    said = true;
    for (const b of list) if (b.backend === null) console.log(`${b.name} kernels unavailable, their tests skip: ${b.reason ?? "unknown reason"}`);
  }
  return list;
}

/** The backends other than plain, which are checked against it. */
export function fastBackends(): TestBackend[] {
  return testBackends().filter((b) => b.name !== "plain");
}
