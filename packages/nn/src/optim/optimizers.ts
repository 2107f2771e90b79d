import { Type } from "@sinclair/typebox";
import { Adam } from "./adam.js";
import { declareOptimizer, optimizers } from "./optimizer.js";
import { SgdMomentum } from "./sgd.js";

const beta = (title: string, description: string, value: number) => Type.Number({ title, description, minimum: 0, exclusiveMaximum: 1, default: value });
const adamOptions = (weightDecay: number, decayDescription: string) =>
  Type.Object({
    beta1: beta("β₁", "Decay of the running mean of gradients.", 0.9),
    beta2: beta("β₂", "Decay of the running mean of squared gradients.", 0.999),
    eps: Type.Number({ title: "Epsilon", description: "Added to the root of the second moment.", exclusiveMinimum: 0, default: 1e-8 }),
    weightDecay: Type.Number({ title: "Weight decay", description: decayDescription, minimum: 0, maximum: 1, default: weightDecay }),
  });

export const sgdOptimizer = declareOptimizer({
  type: "sgd",
  description:
    "SGD with momentum ρ. report: v = ρv + η∇, θ −= v; pytorch: v = ρv + ∇, θ −= ηv (torch.optim.SGD); nesterov: v = ρv + ∇, θ −= η(∇ + ρv).",
  options: Type.Object({
    momentum: Type.Number({ title: "Momentum", description: "Momentum ρ; 0 is plain SGD.", minimum: 0, exclusiveMaximum: 1, default: 0.9 }),
    variant: Type.Union([Type.Literal("report"), Type.Literal("pytorch"), Type.Literal("nesterov")], {
      title: "Momentum variant",
      description: "How momentum enters the update (they differ only when η changes over time).",
      default: "report",
    }),
  }),
  presets: { sgd: { momentum: 0 }, momentum: { momentum: 0.9 }, nesterov: { momentum: 0.9, variant: "nesterov" } },
  build: ({ momentum, variant }) => new SgdMomentum({ momentum, variant }),
});

export const adamOptimizer = declareOptimizer({
  type: "adam",
  description: "Adam with bias correction (torch.optim.Adam); training.lambda adds its L2 gradient to ∇ first.",
  options: adamOptions(0, "Decoupled weight decay on weight matrices (0 for Adam; see adamw)."),
  build: (options, { decayed }) => new Adam({ ...options, decayed }),
});

export const adamwOptimizer = declareOptimizer({
  type: "adamw",
  description: "AdamW: Adam with decoupled weight decay θ ← θ·(1 − η·weightDecay) on weight matrices (torch.optim.AdamW with biases and batch-norm parameters at weight decay 0).",
  options: adamOptions(0.01, "Decoupled weight decay on weight matrices."),
  build: (options, { decayed }) => new Adam({ ...options, decayed }),
});

optimizers.register(sgdOptimizer);
optimizers.register(adamOptimizer);
optimizers.register(adamwOptimizer);
