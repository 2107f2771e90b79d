export type { Layer, LayerConfig, ForwardContext, BuildContext } from "./layers/layer.js";
export { Linear } from "./layers/linear.js";
export { BatchNorm, type BatchNormOptions } from "./layers/batchnorm.js";
export { Activation } from "./layers/activation.js";
export { LeakyReLU } from "./layers/leaky-relu.js";
export { Dropout } from "./layers/dropout.js";
export { registerLayer, buildLayer, registeredLayerTypes, isRegisteredLayer, layers, type LayerFactory } from "./layers/registry.js";
export { declareLayer, type LayerDeclaration } from "./layers/declare.js";
/** TypeBox's builder, for declaring options (`Type.Number({minimum, default, description})`). */
export { Type } from "@sinclair/typebox";
export { declareActivation } from "./layers/activation.js";
export { COMPONENT_OPTION, requiredOptions, type ComponentKind, type ComponentDeclaration, type ComponentConfig, type ComponentOptionSchema, type ConfigOf } from "./components/declaration.js";
export { ComponentRegistry } from "./components/registry.js";
export { optionProblem, describe as describeOption } from "./components/check-option.js";
export { Sequential, buildMlp, mlpConfigs, type MlpOptions, type TensorOrigin } from "./layers/sequential.js";
export { heInit, xavierInit, zerosInit, normalInit, initializer, initializers, declareInitializer, initializerOption, parseInit, type InitSpec, type Initializer } from "./init.js";
export { lossAndCost, l2Penalty, l2PenaltyValue, type LossAndCost } from "./loss.js";
export { SgdMomentum, type MomentumVariant, type SgdOptions } from "./optim/sgd.js";
export { momentumStepPlain, MOMENTUM_KERNEL, type MomentumRule, type MomentumKernel } from "./optim/momentum.js";
export { constantSchedule, exponentialSchedule, stepSchedule, cyclicSchedule, schedule, schedules, declareSchedule, type Schedule, type ScheduleSpec, type ScheduleContext } from "./optim/schedule.js";
export { optimizers, declareOptimizer, type Optimizer, type OptimizerContext } from "./optim/optimizer.js";
export { Adam, type AdamOptions } from "./optim/adam.js";
export { sgdOptimizer, adamOptimizer, adamwOptimizer } from "./optim/optimizers.js";
export { tensorSource, type BatchPosition, type BatchSource } from "./data.js";
export { EarlyStopping, type EarlyStoppingOptions, type EarlyStoppingState, type EarlyStop } from "./early-stopping.js";
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
export { saveCheckpoint, loadCheckpoint, loadCheckpointInto, loadTrainingCheckpoint, encodeCheckpoint, describeTensors, CheckpointError, CHECKPOINT_FORMAT, DATA_TENSOR_PREFIX, READABLE_FORMATS, type LoadedCheckpoint, type TensorDescription } from "./checkpoint/checkpoint.js";
export { encodeSafetensors, decodeSafetensors, SafetensorsError, type DecodedSafetensors, type DecodedTensor, type SafetensorsDtype, type TensorData, type TensorInput } from "./checkpoint/safetensors.js";
export { writeFileAtomic, writeFileAtomicSync, removeStaleTempFiles } from "./checkpoint/atomic-write.js";
