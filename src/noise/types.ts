/**
 * Types of the noise estimate: the options of {@link estimateNoise}, the per-level results, the
 * summary (knee, content bits, recommendation) and the progress events.
 *
 * Every result type here is plain data (JSON-serializable), so that a finished level can be
 * written to a results file, sent between worker threads and fed back to resume a sweep.
 *
 * The image sweep is implemented; the audio sweep (`modality: 'audio'`) plugs into the same
 * result types with `bitsPerSecond` in place of `bitsPerPixel`.
 *
 * @example
 * import type { NoiseEstimate } from 'helmholtz-ml';
 * const show = (e: NoiseEstimate) => console.log(e.knee?.level, e.contentBits);
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { AudioFeatureOptions } from '../audio/features.js';
import type { Image } from '../image/image.js';
import type { EpochLog } from '../models/train.js';
import type { KneeMethod } from './knee.js';
import type { AdaptivePlanOptions } from './levels.js';

/** What is being compressed: JPEG images or MP3 audio. */
export type Modality = 'image' | 'audio';

/**
 * How the levels are visited. `'grid'`: every level is trained. `'adaptive'`: a few coarse
 * levels, then bisection between neighbours where the accuracy falls (far fewer trainings).
 */
export type NoiseStrategy = 'grid' | 'adaptive';

/** Built-in image architectures of the paper (see `buildImageModel`). */
export type NoiseImageArchitecture = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

/** Builds a fresh, uncompiled classifier for the given input shape (without batch) and class count. */
export type NoiseModelFactory = (inputShape: number[], numClasses: number) => LayersModel;

/**
 * Optimizer: `'adam'` (Adam, learning rate 1e-3: the default, for short budgets), `'paper'` (the
 * original protocol: SGD lr 0.01, momentum 0.9, Nesterov, time decay 1e-6 for images; Adadelta
 * for audio), a `tf.Optimizer` (each level trains with a fresh copy made from its config, so no
 * state leaks between levels), or a factory called once per level.
 */
export type NoiseOptimizer = 'adam' | 'paper' | tf.Optimizer | (() => tf.Optimizer);

/** Labeled 8-bit images: `labels[i]` (an integer class `0..classes-1`) belongs to `images[i]`. */
export interface LabeledImages {
  images: Image[];
  labels: number[];
}

/** A train set and a test set; both are compressed at every level, as in the paper. */
export interface ImageDataset {
  train: LabeledImages;
  test: LabeledImages;
}

/** Labeled mono audio clips (reserved for the audio sweep). */
export interface LabeledSignals {
  signals: Float32Array[];
  sampleRate: number;
  labels: number[];
}

/** A train and a test set of audio clips (reserved for the audio sweep). */
export interface AudioDataset {
  train: LabeledSignals;
  test: LabeledSignals;
}

/** Bits per pixel that remain after JPEG at one quality. */
export interface LevelBitsPerPixel {
  /** The paper's arithmetic (sum of Annex K tables taken as 12487), remaining bits per pixel. */
  paper: number;
  /** Same from the real IJG-scaled, baseline-clamped tables. */
  tables: number;
  /** Measured: mean entropy-coded scan bits per pixel of the compressed test images (a sample). */
  measured: number;
}

/** Bits per second after MP3 at one bitrate (audio sweep). */
export interface LevelBitsPerSecond {
  /** The nominal bitrate in bits per second. */
  nominal: number;
  /** Measured size of the encoded stream in bits per second (mean over a sample). */
  measured: number;
}

/** The outcome of training at one compression level. */
export interface LevelResult {
  /** The level: JPEG quality 1..100 (image) or MP3 kbps (audio). */
  level: number;
  /** Quantization in [0, 1]: `(100 - q) / 100` for JPEG; normalized bitrate for audio (highest = 0). */
  Q: number;
  /** The paper's reported accuracy: mean of the 10 best validation accuracies (all epochs if fewer). */
  accuracy: number;
  /** Best validation accuracy of any epoch. */
  bestAccuracy: number;
  /** First epoch whose 10-epoch moving average of validation accuracy exceeds 0.99 x best (null if none). */
  epochsToConverge: number | null;
  /** Per-epoch log (the models' `EpochLog`). */
  history: EpochLog[];
  /** Image sweep: bits per pixel that remain at this quality. */
  bitsPerPixel?: LevelBitsPerPixel;
  /** Audio sweep: bits per second at this bitrate. */
  bitsPerSecond?: LevelBitsPerSecond;
  /** Test-set size (for the standard error of `accuracy`). */
  testCount: number;
  /** Wall time for this level (compression + training), seconds. */
  seconds: number;
  /** Of which compressing train and test sets. */
  compressSeconds: number;
  /** Of which training. */
  trainSeconds: number;
}

/** The paper's "shadow" curve `accuracy = offset + scale * ln(100 - Q%)`, fitted by least squares. */
export interface TheoryFit {
  offset: number;
  /** The scaling constant `c`. */
  scale: number;
  /** Root-mean-square residual of the fit (accuracy units). */
  rmse: number;
  /** Coefficient of determination (1 = perfect; NaN when the accuracies are all equal). */
  r2: number;
  /** Number of points fitted. */
  count: number;
}

/** The knee of the accuracy-vs-Q curve (N_approx). */
export interface Knee {
  level: number;
  Q: number;
}

/** The strongest compression that costs no accuracy, and why. */
export interface Recommendation {
  level: number;
  Q: number;
  reason: string;
}

/** Wall-clock breakdown of a sweep in seconds (levels resumed from a file count their stored times). */
export interface NoiseTimings {
  totalSeconds: number;
  compressSeconds: number;
  trainSeconds: number;
}

/** The result of {@link estimateNoise}. Plain data. */
export interface NoiseEstimate {
  modality: Modality;
  /** Trained levels, sorted by ascending Q (best quality first). */
  levels: LevelResult[];
  /** N_approx: where accuracy falls off (Kneedle, concave, decreasing), or null if none. */
  knee: Knee | null;
  /** Remaining bits per pixel at the knee (paper method); bits per second for audio. Null without a knee. */
  contentBits: number | null;
  /** `sourceBits - contentBits`: bits per pixel that were noise. Null without a knee. */
  noiseBits: number | null;
  /** Bits per pixel of the uncompressed source (16 for RGB as 4:2:0 YUV, 8 for gray). */
  sourceBits: number;
  /** The fitted theoretical curve. */
  theory: TheoryFit;
  recommendation: Recommendation;
  timings: NoiseTimings;
  /** tfjs backend that trained (e.g. 'cpu', 'wasm', 'tensorflow', 'webgl'), or the runner's name. */
  backend: string;
  /** Trainings run in this call (levels resumed from `completedLevels` not counted). */
  trainingsRun: number;
  /** Levels in the grid that were not trained (adaptive strategy), i.e. trainings saved. */
  trainingsSaved: number;
  strategy: NoiseStrategy;
  trainCount: number;
  testCount: number;
  classes: number;
}

/** Progress of a sweep, for progress bars. */
export interface ProgressEvent {
  phase: 'compress' | 'train' | 'done';
  /** The level being worked on (the last one for 'done'). */
  level: number;
  /** 0-based index of this training in the run. */
  levelIndex: number;
  /** Trainings planned (an upper bound for the adaptive strategy). */
  levelCount: number;
  /** 1-based epoch (phase 'train'). */
  epoch?: number;
  epochs?: number;
  /** Validation accuracy after `epoch`. */
  accuracy?: number;
  /** Seconds since the sweep started. */
  elapsedSeconds: number;
  /** Estimated seconds left, once there is something to estimate from. */
  etaSeconds?: number;
}

/** Options of the model and training, shared by every modality. */
export interface EstimateNoiseCommonOptions {
  /**
   * Levels to try (JPEG qualities 1..100 for images). Default `[1, 5, 10, 15, 20, 25, 50, 75, 100]`
   * (the paper's). At least 3, distinct. With `strategy: 'adaptive'` this is the candidate grid.
   */
  levels?: number[];
  /** Built-in architecture (default `'A'`) or a factory `(inputShape, numClasses) => tf.LayersModel`. */
  model?: NoiseImageArchitecture | NoiseModelFactory;
  /** Options for the built-in architecture, e.g. `{ widthMultiplier: 0.25 }`. */
  modelOptions?: { widthMultiplier?: number; faithful?: boolean };
  /** Training epochs per level. Default 10. */
  epochs?: number;
  /** Batch size. Default 128 (the paper's). */
  batchSize?: number;
  /** Default `'adam'`. */
  optimizer?: NoiseOptimizer;
  /** Paper augmentation (10% shifts, horizontal flips). Default false. */
  augment?: boolean;
  /** Seed for weights, shuffling and augmentation. Default 0. */
  seed?: number;
  /** Default `'grid'`. */
  strategy?: NoiseStrategy;
  /** Kneedle sensitivity S. Default 1 (kneed's). */
  sensitivity?: number;
  /** How the knee is read off the curve (see `findAccuracyKnee`). Default `'quality'`. */
  kneeMethod?: KneeMethod;
  /** Adaptive strategy settings (coarse level count, bisection threshold). */
  adaptive?: AdaptivePlanOptions;
  /** Test images whose real JPEG size is measured per level (`bitsPerPixel.measured`). Default 64. */
  measureSamples?: number;
  /**
   * Recommendation tolerance: the recommended level keeps accuracy >= best - max(tolerance,
   * 2 standard errors of the best). Default 0.01.
   */
  tolerance?: number;
  /** Bits per pixel of the source. Default 16 for RGB (4:2:0 YUV, as the paper), 8 for grayscale. */
  sourceBits?: number;
  /** Called on compression, every epoch and at the end. */
  onProgress?: (event: ProgressEvent) => void;
  /** Called after each level finishes (e.g. to persist it); awaited. */
  onLevelComplete?: (result: LevelResult) => void | Promise<void>;
  /** Levels already finished (from a results file): not trained again. */
  completedLevels?: LevelResult[];
  /** Replaces the built-in per-level work (e.g. a worker-thread pool in Node). */
  levelRunner?: LevelRunner;
  /** How many levels may run at once through `levelRunner`. Default 1. */
  concurrency?: number;
  /** Aborts between epochs and levels; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of {@link estimateNoise} for images. */
export interface ImageEstimateNoiseOptions extends EstimateNoiseCommonOptions {
  /** Default `'image'`. */
  modality?: 'image';
  data: ImageDataset;
}

/**
 * Options of {@link estimateNoise} for audio (the audio sweep, see `prepareAudioEstimate`):
 * `levels` are MP3 bitrates in kbps (default `[8, 16, 32, 64, 96, 128, 160]`, each one of
 * `MP3_BITRATES`), `batchSize` defaults to 50 and `measureSamples` to 8 (test clips whose MP3
 * stream size is measured), `optimizer: 'paper'` is Adadelta (lr 1, rho 0.95), `augment` must
 * stay off, and `sourceBits` defaults to the highest bitrate in bits per second.
 */
export interface AudioEstimateNoiseOptions extends EstimateNoiseCommonOptions {
  modality: 'audio';
  data: AudioDataset;
  /** The featurizer (defaults: the original's 96 mels, n_fft 2048, hop 512, `amplitudeToDb`). */
  features?: AudioFeatureOptions;
}

/** Options of {@link estimateNoise} (a union: the audio options join it with the audio sweep). */
export type EstimateNoiseOptions = ImageEstimateNoiseOptions | AudioEstimateNoiseOptions;

/** What a {@link LevelRunner} gets besides the level. */
export interface LevelRunContext {
  /** 0-based index of this training in the run, and the planned count, for progress events. */
  levelIndex: number;
  levelCount: number;
  /** Forward progress events (elapsed/eta are filled in by the caller if left 0/undefined). */
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/** Trains one level and returns its result; the hook for worker pools and remote runners. */
export type LevelRunner = (level: number, context: LevelRunContext) => Promise<LevelResult>;
