/** What a peer implementation's run returns to the report. */
import type { Summary } from "../timing.js";

export interface PeerResult {
  /** e.g. "PyTorch 1.13 float64, 1 thread, default allocator". */
  name: string;
  /** Timed steps (ms); absent when skipped. */
  ms?: Summary;
  /** Version, BLAS, backend flags… */
  detail: string;
  /** Why it did not run and how to install it. */
  skipped?: string;
}
