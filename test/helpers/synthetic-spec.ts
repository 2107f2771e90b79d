/** The data, model and training sections the end-to-end runner tests share: tiny, fast, seeded. */
export const SYNTHETIC_SECTIONS = `
data:
  source: synthetic
  synthetic: { classes: 3, dim: 6, train: 150, validation: 30, test: 30, spread: 3, seed: 4 }
model:
  hidden: [8]
  batchNorm: true
training:
  optimizer: { momentum: 0.8 }
  learningRate: 0.05
  batchSize: 25
  epochs: 3
  seed: 1
`;

/**
 * A sweep section with successive halving in both stages, then the best trial retrained: every
 * trial status but failed shows up.
 */
export const PRUNED_SWEEP_SECTION = `sweep:
  method: random
  seed: 7
  metric: validation.loss
  goal: minimize
  parameters:
    training.learningRate: { logUniform: [1e-3, 0.5] }
    training.lambda: { logUniform: [1e-6, 1e-2] }
  earlyTerminate: { type: successiveHalving, rungs: [1, 2], reductionFactor: 2 }
  stages:
    - { name: coarse, trials: 8, epochs: 4 }
    - { name: fine, trials: 3, epochs: 2, refine: { top: 2, expand: 0.1 }, earlyTerminate: { type: successiveHalving, rungs: [1] } }
  top: 2
  final: { top: 1, set: { training.epochs: 2 } }
`;
