/**
 * One forward + backward of issue 2's 3072 → 50 → 10 network (FC, ReLU, FC, softmax cross-entropy
 * + λ·ΣW², batch 100) written with the autograd ops, per kernel set, interleaved. Inputs and
 * parameters are allocated by each kernel set's backend (wasm memory for the wasm kernels), and the
 * temporaries come from the backend's pool, reset every call, as in the training loop.
 */
import {
  Rng, Tensor, add, matmul, mul, relu, setBackend, plainBackend, softmaxCrossEntropy, square, sum,
  valueAndGrad, withAllocator, type StepPool,
} from "@gradspec/autograd";
import type { Kernels } from "./step.js";
import { summarize, yieldToEventLoop, type Summary } from "./timing.js";

const [N, D, H, C, LAMBDA] = [100, 3072, 50, 10, 0.01];

interface Setup {
  kernels: Kernels;
  pool: StepPool;
  run: () => void;
  samples: number[];
}

function setup(kernels: Kernels): Setup {
  setBackend(kernels.backend);
  const pool = kernels.backend.storage.createPool(64 * 1024 * 1024);
  const rng = new Rng(2024);
  const x = Tensor.randn([N, D], rng);
  const labels = Array.from({ length: N }, () => rng.int(C));
  const params = {
    W1: Tensor.randn([D, H], rng, Math.sqrt(2 / D)),
    b1: Tensor.randn([H], rng, 0.1),
    W2: Tensor.randn([H, C], rng, Math.sqrt(2 / H)),
    b2: Tensor.randn([C], rng, 0.1),
  };
  const f = valueAndGrad((p: typeof params): Tensor => {
    const scores = add(matmul(relu(add(matmul(x, p.W1), p.b1)), p.W2), p.b2);
    return add(softmaxCrossEntropy(scores, labels), mul(add(sum(square(p.W1)), sum(square(p.W2))), LAMBDA));
  });
  const run = (): void => {
    pool.reset();
    withAllocator(pool, () => f(params));
  };
  return { kernels, pool, run, samples: [] };
}

export interface FwdBwdResult {
  kernels: string;
  ms: Summary;
}

/** `reps` timed calls per kernel set after `warmup`, alternating sets call by call. */
export async function benchForwardBackward(variants: readonly Kernels[], reps = 20, warmup = 3): Promise<FwdBwdResult[]> {
  const setups = variants.map(setup);
  try {
    for (let rep = 0; rep < warmup + reps; rep++) {
      for (const s of setups) {
        setBackend(s.kernels.backend);
        const t0 = performance.now();
        s.run();
        const ms = performance.now() - t0;
        if (rep >= warmup) s.samples.push(ms);
      }
      if (rep % 5 === 0) await yieldToEventLoop();
    }
    return setups.map((s) => ({ kernels: s.kernels.name, ms: summarize(s.samples) }));
  } finally {
    setBackend(plainBackend);
    for (const s of setups) s.pool.dispose();
  }
}
