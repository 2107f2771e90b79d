import { expect } from "vitest";
import { DataError } from "@gradspec/runner";

/** Runs `run`, expects a one-line DataError whose message starts with its file, and returns it. */
export function errorOf(run: () => unknown): DataError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    const e = error as DataError;
    expect(e.message).not.toContain("\n");
    expect(e.message.startsWith(`${e.file}: `)).toBe(true);
    return e;
  }
  throw new Error("expected a DataError");
}
