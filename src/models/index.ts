// Public exports of src/models/ (one line per module).
export { registerWasmTrainingKernels, registerBatchNormGradientFix } from './wasm-training/index.js';
export { imageArchitectures, audioArchitectures, architectureNames, type ArchitectureName, type ArchitectureInfo } from './architectures.js';
export { buildImageModel, type ImageModelOptions } from './image.js';
export { buildAudioModel, type AudioModelOptions } from './audio.js';
export type { BuildOptions, WeightInitializer } from './build-options.js';
export { paperOptimizer, KerasSGDOptimizer, KerasAdadeltaOptimizer, type KerasSGDOptions, type KerasAdadeltaOptions } from './optimizers.js';
export { augmentBatch, augmentTransforms, type AugmentOptions } from './augment.js';
export { topKMeanAccuracy, epochsToConverge, convergenceWindow, selectEpoch, summarizeHistory, testAccuracyOf, type ConvergenceOptions, type ValidationPoint, type HistorySummary, type SummarizeHistoryOptions } from './metrics.js';
export { trainClassifier, type TrainOptions, type TrainResult, type EpochLog, type LabeledTensors } from './train.js';
export { createTrainStep, evaluateClassifier, type StepResult, type Evaluation } from './train-step.js';
export { registerCpuTrainingKernels } from './cpu-training.js';
export { registerBackendQuirks, withTrainingQuirks } from './backend-quirks.js';
export { registerBatchNormForwardFix, CYCLIC_BATCH_NORM_BACKENDS } from './backend-quirks-batch-norm.js';
export { withWebglTextureThreshold, WEBGL_TRAINING_TEXTURE_THRESHOLD, WEBGL_DELETE_TEXTURE_THRESHOLD } from './webgl-textures.js';
export { backendDevice, warnIfSoftwareGpu, type BackendDevice } from './backend-quirks-device.js';
