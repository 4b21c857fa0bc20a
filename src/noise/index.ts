// Public exports of src/noise/ (by name). The pipeline's building blocks are in the `sweep` namespace.
export type {
  AudioDataset, AudioEstimateNoiseOptions, Cell, CellRunContext, CellRunner, ContentBits, Convergence, IntervalMethod, LevelConvergence, RecommendationTest,
  EstimateNoiseCommonOptions, EstimateNoiseOptions, ImageDataset, ImageEstimateNoiseOptions, Interval, Knee, KneeReason, LabeledImages,
  LabeledSignals, LearnedCheck, LevelResult, MeanWithCi, Metric, NoiseEstimate, NoiseModelFactory, NoiseOptimizer,
  NoiseStrategy, NoiseTimings, ProgressEvent, Recommendation, RunResult, TheoryFit,
} from './types.js';
export { findKnee, type FindKneeOptions } from './kneedle.js';
export { fitTheoryCurve, theoryAccuracy, sampleTheoryCurve, type TheoryPoint } from './theory.js';
export { findAccuracyKnee, type AccuracyKneeOptions, type KneeMethod } from './knee.js';
export { qualityToQ, qToQuality, levelsToQ, validateLevels, DEFAULT_IMAGE_LEVELS, DEFAULT_AUDIO_LEVELS } from './levels.js';
export type { AdaptivePlanOptions } from './adaptive.js';
export { recommendLevel, type RecommendOptions, type RecommendPoint } from './recommend.js';
export { estimateNoise, validateEstimateOptions } from './estimate.js';
export { sweep } from './sweep.js';
export type { PreparedSweep, SweepWorkerOptions } from './prepare.js';
export type { Featurizer, PackedData, CellTensors, ArchitectureBuilder } from './featurizer.js';
export type { LevelCompressor } from './cell.js';
export type { SummarizeOptions } from './summarize-cells.js';
export type { RunTraining, RunTrainResult, RunEpochLog } from './train-run.js';
export type { EpochBudget, SweepSettings, SweepDefaults } from './sweep-options.js';
