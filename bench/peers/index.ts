/**
 * Peers in the same run: PyTorch (child process) and TensorFlow.js cpu/wasm (in process), each
 * bracketed or interleaved with gradspec's own step so the ratio compares like with like in time.
 */
import { summarize, yieldToEventLoop, type Summary } from "../timing.js";
import type { PeerResult } from "./peer.js";
import { findTorchPython, runTorchStep, torchSkipped } from "./torch.js";
import { loadTfjs, tfResult, tfSkipped, tfStepper, timeTfSteps, type TfBackendName } from "./tfjs.js";

export interface PeerPhase {
  /** gradspec's step timed during this phase, per kernel set (in the order given). */
  ours: { name: string; ms: Summary }[];
  peers: PeerResult[];
}

/** One of gradspec's kernel sets: `steps(n)` runs n timed steps and returns their milliseconds. */
export interface OurVariant {
  name: string;
  steps: (n: number) => number[];
}

/** The peers, with each of `variants` timed between them. */
export async function benchPeers(variants: readonly OurVariant[]): Promise<PeerPhase> {
  const samples = variants.map(() => [] as number[]);
  const ours = {
    push(n: number): void {
      variants.forEach((v, i) => samples[i].push(...v.steps(n)));
    },
  };
  const result = (): { name: string; ms: Summary }[] => variants.map((v, i) => ({ name: v.name, ms: summarize(samples[i]) }));
  const peers: PeerResult[] = [];

  const python = findTorchPython();
  if (python === null) peers.push(torchSkipped());
  else {
    ours.push(30);
    peers.push(runTorchStep(python, "default"));
    ours.push(30);
    peers.push(runTorchStep(python, "keep-memory"));
  }
  ours.push(30);
  await yieldToEventLoop();

  const tf = await loadTfjs();
  if ("skipped" in tf) {
    peers.push(tfSkipped("TensorFlow.js cpu, float32", tf.skipped), tfSkipped("TensorFlow.js wasm, float32", tf.skipped));
    return { ours: result(), peers };
  }
  const order: TfBackendName[] = ["cpu", "wasm"];
  const steppers = [];
  for (const backend of order) {
    if (tf.backends.includes(backend)) steppers.push(await tfStepper(tf, backend));
    else peers.push(tfSkipped(`TensorFlow.js ${backend}, float32`, `skipped: ${tf.failures.get(backend) ?? "backend unavailable"}`));
  }
  const tfSamples = new Map<TfBackendName, number[]>(steppers.map((s) => [s.backend, []]));
  const rounds = 3;
  for (let round = 0; round < rounds; round++) {
    for (const s of steppers) {
      const n = s.backend === "cpu" ? 5 : 12;
      tfSamples.get(s.backend)?.push(...(await timeTfSteps(tf, s, n, round === 0 ? 3 : 1)));
      ours.push(15);
      await yieldToEventLoop();
    }
  }
  for (const s of steppers) {
    peers.push(tfResult(tf, s, tfSamples.get(s.backend) ?? []));
    s.dispose();
  }
  return { ours: result(), peers };
}
