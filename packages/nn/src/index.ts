export type { Layer, LayerConfig, ForwardContext, BuildContext } from "./layers/layer.js";
export { Linear } from "./layers/linear.js";
export { BatchNorm, type BatchNormOptions } from "./layers/batchnorm.js";
export { Activation } from "./layers/activation.js";
export { LeakyReLU } from "./layers/leaky-relu.js";
export { registerLayer, buildLayer, registeredLayerTypes, isRegisteredLayer, type LayerFactory } from "./layers/registry.js";
export { Sequential, buildMlp, mlpConfigs, type MlpOptions } from "./layers/sequential.js";
export { initializer, parseInit, type InitSpec, type Initializer } from "./init.js";
export { lossAndCost, l2Penalty, l2PenaltyValue, type LossAndCost } from "./loss.js";
export { SgdMomentum, type MomentumVariant, type SgdOptions } from "./optim/sgd.js";
export { momentumStepPlain, MOMENTUM_KERNEL, type MomentumRule, type MomentumKernel } from "./optim/momentum.js";
export { schedule, type Schedule, type ScheduleSpec } from "./optim/schedule.js";
export { tensorSource, type BatchSource } from "./data.js";
export { evaluate, countCorrect, type Evaluation, type EvaluateOptions } from "./evaluate.js";
export {
  train,
  batchBounds,
  divergenceMessage,
  type TrainOptions,
  type TrainResult,
  type TrainState,
  type TrainEvents,
  type EpochMetrics,
  type BatchProgress,
  type Divergence,
} from "./train.js";
export { saveCheckpoint, loadCheckpoint, loadCheckpointInto, loadTrainingCheckpoint, encodeCheckpoint, CheckpointError, CHECKPOINT_FORMAT } from "./checkpoint/checkpoint.js";
export { encodeSafetensors, decodeSafetensors, SafetensorsError, type DecodedSafetensors, type DecodedTensor, type SafetensorsDtype, type TensorData, type TensorInput } from "./checkpoint/safetensors.js";
export { writeFileAtomic, writeFileAtomicSync, removeStaleTempFiles } from "./checkpoint/atomic-write.js";
