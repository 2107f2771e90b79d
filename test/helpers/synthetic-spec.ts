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
