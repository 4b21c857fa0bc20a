/**
 * Types of the noise estimate: the options of {@link estimateNoise}, the cells (one training at
 * one level and one repeat), the per-level results, the summary (knee, content bits,
 * recommendation, learned check, convergence) and the progress events.
 *
 * Every result type here is plain data (JSON-serializable), so that a finished cell can be
 * written to a results file, sent between worker threads and fed back to resume a sweep.
 *
 * @example
 * import type { NoiseEstimate } from 'helmholtz-ml';
 * const show = (e: NoiseEstimate) => console.log(e.knee?.level, e.knee?.range, e.content?.measured);
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { AudioFeatureOptions } from '../audio/features.js';
import type { CodecName, LevelBits, Modality } from '../codecs/codec.js';
import type { LabeledSignals } from '../data/labeled.js';
import type { Image } from '../image/image.js';
import type { ArchitectureName } from '../models/architectures.js';
import type { WeightInitializer } from '../models/build-options.js';
import type { EpochLog } from '../models/train.js';
import type { KneeMethod } from './knee.js';
import type { AdaptivePlanOptions } from './adaptive.js';

import type { ContentBits, Convergence, IntervalMethod, Knee, KneeReason, LearnedCheck, MeanWithCi, Recommendation } from '../stats/types.js';

export type { CodecName, LevelBits, Modality } from '../codecs/codec.js';
// One definition of each statistics shape: src/stats/types.ts.
export type { ContentBits, Convergence, Interval, IntervalMethod, Knee, KneeReason, LearnedCheck, LevelConvergence, MeanWithCi, Recommendation, RecommendationTest } from '../stats/types.js';
export type { LabeledSignals } from '../data/labeled.js';

/**
 * How the levels are visited. `'grid'`: every level is trained. `'adaptive'`: a few coarse
 * levels, then bisection between neighbours where the accuracy falls (far fewer trainings).
 */
export type NoiseStrategy = 'grid' | 'adaptive';

/**
 * Which accuracy of a run is reported: `'selected'` (test accuracy at the epoch validation picks,
 * default), `'paper'` (mean of the 10 best test accuracies) or `'last'` (test accuracy after the
 * final epoch: a plain train-then-test protocol, e.g. with `validationFraction: 0`).
 */
export type Metric = 'selected' | 'paper' | 'last';

/** Builds a fresh, uncompiled classifier for the given input shape (without batch) and class count. */
export type NoiseModelFactory = (inputShape: number[], numClasses: number) => LayersModel;

/**
 * Optimizer: `'adam'` (Adam, learning rate 1e-3: the default, for short budgets), `'paper'` (the
 * original protocol: SGD lr 0.01, momentum 0.9, Nesterov, time decay 1e-6 for images; Adadelta
 * for audio), a `tf.Optimizer` (each cell trains with a fresh copy made from its config, so no
 * state leaks between cells), or a factory called once per cell.
 */
export type NoiseOptimizer = 'adam' | 'paper' | tf.Optimizer | (() => tf.Optimizer);

/** Labeled 8-bit images: `labels[i]` (an integer class `0..classes-1`) belongs to `images[i]`. */
export interface LabeledImages {
  images: Image[];
  labels: number[];
}

/** A train set and a test set of images; both are compressed at every level, as in the paper. */
export interface ImageDataset {
  train: LabeledImages;
  test: LabeledImages;
}

/** A train and a test set of audio clips. */
export interface AudioDataset {
  train: LabeledSignals;
  test: LabeledSignals;
}

/** One cell of a sweep: a level and a 0-based repeat. */
export interface Cell {
  level: number;
  repeat: number;
}

/** The outcome of one cell: one training at one level (one repeat). */
export interface RunResult {
  level: number;
  /** 0-based. */
  repeat: number;
  /** The seed of this run (weights, shuffles, augmentation, validation split), derived from the sweep's seed and the repeat. */
  seed: number;
  /** Per the sweep's `metric`: `testAccuracy` (`'selected'`), `paperAccuracy` (`'paper'`) or `lastAccuracy` (`'last'`). */
  accuracy: number;
  /** Test accuracy at `selectedEpoch`. */
  testAccuracy: number;
  /** Mean of the 10 best test accuracies (all epochs if fewer): the paper's figure, biased upward. */
  paperAccuracy: number;
  lastAccuracy: number;
  bestAccuracy: number;
  /** 1-based epoch with the best validation accuracy (ties: the earliest). */
  selectedEpoch: number;
  epochsRun: number;
  epochsToConverge: number | null;
  /** Validation accuracy still rising at the last epoch. */
  stillImproving: boolean;
  history: EpochLog[];
  testCount: number;
  /** Wall time of this cell (compression + training), seconds. */
  seconds: number;
  compressSeconds: number;
  trainSeconds: number;
  /** The bits that remain at this level (measured on a sample of the test set). */
  bits: LevelBits;
}

/** The outcome of one level: its runs and their summary. */
export interface LevelResult {
  /** The level: JPEG quality 1..100 (image) or MP3 kbps (audio). */
  level: number;
  /** Quantization in [0, 1] (see the codec's `toQ`). */
  Q: number;
  /** Mean over the runs. */
  accuracy: number;
  /** 95% interval of that mean. */
  accuracyCi: [number, number];
  /** `'t'` over repeats; `'bootstrap-test-items'` when there is one run. */
  ciMethod: IntervalMethod;
  runs: RunResult[];
  epochsToConverge: MeanWithCi | null;
  bits: LevelBits;
  testCount: number;
  /** Sums over the runs. */
  seconds: number;
  compressSeconds: number;
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

/** Wall-clock breakdown of a sweep in seconds (cells resumed from a file count their stored times). */
export interface NoiseTimings {
  totalSeconds: number;
  compressSeconds: number;
  trainSeconds: number;
}

/** The result of {@link estimateNoise}. Plain data. */
export interface NoiseEstimate {
  modality: Modality;
  codec: CodecName;
  /** Repeats per level. */
  repeats: number;
  metric: Metric;
  /** Trained levels, sorted by ascending Q (best quality first). */
  levels: LevelResult[];
  /** N_approx with its range, or null (see `kneeReason`). */
  knee: Knee | null;
  kneeReason: KneeReason | null;
  /** Bits that remain at the knee; null without a knee. */
  content: ContentBits | null;
  learned: LearnedCheck;
  /** The paper's second claim in numbers (null: too few levels, no run converged, or not learned). */
  convergence: Convergence | null;
  /** Bits per pixel of the uncompressed source (16 for RGB as 4:2:0 YUV, 8 for gray), or per second for audio. */
  sourceBits: number;
  theory: TheoryFit;
  recommendation: Recommendation;
  timings: NoiseTimings;
  /** tfjs backend that trained (e.g. 'cpu', 'wasm', 'tensorflow', 'webgl'), or the runner's name. */
  backend: string;
  /** Trainings (cells) run in this call (resumed cells not counted). */
  trainingsRun: number;
  /** Grid levels never trained (adaptive strategy), i.e. trainings saved (x repeats). */
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
  /** The repeat being worked on (0-based). */
  repeat?: number;
  /** 0-based index of this cell in the run. */
  levelIndex: number;
  /** Cells planned (an upper bound for the adaptive strategy). */
  levelCount: number;
  /** 1-based epoch (phase 'train'). */
  epoch?: number;
  /** Planned epochs (the maximum with `epochs: 'auto'`). */
  epochs?: number;
  /** Validation accuracy after `epoch`. */
  accuracy?: number;
  /** Seconds since the sweep started. */
  elapsedSeconds: number;
  /** Estimated seconds left, once there is something to estimate from. */
  etaSeconds?: number;
}

/** What a {@link CellRunner} gets besides the cell. */
export interface CellRunContext {
  /** 0-based index of this cell in the run, and the planned count, for progress events. */
  levelIndex: number;
  levelCount: number;
  /** Forward progress events (elapsed/eta are filled in by the caller if left 0/undefined). */
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/** Trains one cell and returns its result; the hook for worker pools and remote runners. */
export type CellRunner = (cell: Cell, context: CellRunContext) => Promise<RunResult>;

/** Options of the model and training, shared by every modality. */
export interface EstimateNoiseCommonOptions {
  /**
   * Codec: `'jpeg'` (default for images), `'mp3'` (default for audio), or any registered codec of
   * the data's modality (see `codecs.codecNames()`).
   */
  codec?: CodecName;
  /**
   * Levels to try (JPEG qualities 1..100, MP3 kbps valid at the data's sample rate). Default: the
   * codec's (the paper's). At least 3, distinct. With `strategy: 'adaptive'` the candidate grid.
   */
  levels?: number[];
  /** Trainings per level, each with its own seed. Default 3. Integer >= 1. */
  repeats?: number;
  /** Which accuracy a run reports. Default `'selected'`. */
  metric?: Metric;
  /**
   * Fraction of each class of the training set held out to pick the epoch. Default 0.1, in
   * (0, 0.5]. `0`: no split, every training item is fitted and the test set also picks the epoch
   * (the paper's protocol: `'selected'` is then optimistic, `'last'` is not); needs a fixed
   * `epochs`.
   *
   * @example
   * // Fit all 3,000 training images and report the final epoch's test accuracy:
   * estimateNoise({ data, epochs: 5, validationFraction: 0, metric: 'last' });
   */
  validationFraction?: number;
  /** Built-in architecture (default `'A'`) or a factory `(inputShape, numClasses) => tf.LayersModel`. */
  model?: ArchitectureName | NoiseModelFactory;
  /**
   * Options for the built-in architecture, e.g. `{ widthMultiplier: 0.25 }`; `initializer`
   * `'keras'` (default) or `'pytorch'` (see `BuildOptions.initializer`).
   */
  modelOptions?: { widthMultiplier?: number; faithful?: boolean; initializer?: WeightInitializer };
  /** Training epochs per cell, or `'auto'` (until validation stops improving for `patience` epochs, at most `maxEpochs`). Default 10. */
  epochs?: number | 'auto';
  /** With `epochs: 'auto'` only: epochs without improvement before stopping. Default 5. */
  patience?: number;
  /** With `epochs: 'auto'` only: the most epochs. Default 100. */
  maxEpochs?: number;
  /** Batch size. Default 128 for images (the paper's), 50 for audio. */
  batchSize?: number;
  /** Default `'adam'`. */
  optimizer?: NoiseOptimizer;
  /** Paper augmentation (10% shifts, horizontal flips). Default false; images only. */
  augment?: boolean;
  /** Seed of the sweep; each repeat's seed derives from it. Default 0. */
  seed?: number;
  /** Default `'grid'`. */
  strategy?: NoiseStrategy;
  /** Kneedle sensitivity S. Default 1 (kneed's). */
  sensitivity?: number;
  /** How the knee is read off the curve (see `findAccuracyKnee`). Default `'quality'`. */
  kneeMethod?: KneeMethod;
  /** Adaptive strategy settings (coarse level count, bisection threshold). */
  adaptive?: AdaptivePlanOptions;
  /** Test items whose real compressed size is measured per level (`bits.measured`). Default 64 images or 8 clips. */
  measureSamples?: number;
  /** Recommendation tolerance: never recommend a level more than this below the best. Default 0.01. */
  tolerance?: number;
  /** Bits of the source. Default 16 for RGB (4:2:0 YUV, as the paper), 8 for gray; the highest bitrate in bits/s for audio. */
  sourceBits?: number;
  /** Called on compression, every epoch and at the end. */
  onProgress?: (event: ProgressEvent) => void;
  /** Called after each cell finishes (e.g. to persist it); awaited. */
  onCellComplete?: (result: RunResult) => void | Promise<void>;
  /** Cells already finished (from a results file): not trained again. */
  completedCells?: RunResult[];
  /** Replaces the built-in per-cell work (e.g. a worker-thread pool in Node). */
  cellRunner?: CellRunner;
  /** How many cells may run at once through `cellRunner`. Default 1. */
  concurrency?: number;
  /** Aborts between epochs and cells; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of {@link estimateNoise} for images. */
export interface ImageEstimateNoiseOptions extends EstimateNoiseCommonOptions {
  /** Default `'image'`. */
  modality?: 'image';
  data: ImageDataset;
}

/**
 * Options of {@link estimateNoise} for audio: `levels` are MP3 bitrates in kbps (default
 * `[8, 16, 32, 64, 96, 128, 160]`, each valid at the data's sample rate), `batchSize` defaults
 * to 50 and `measureSamples` to 8, `optimizer: 'paper'` is Adadelta (lr 1, rho 0.95), `augment`
 * must stay off, and `sourceBits` defaults to the highest bitrate in bits per second.
 */
export interface AudioEstimateNoiseOptions extends EstimateNoiseCommonOptions {
  modality: 'audio';
  data: AudioDataset;
  /** The featurizer (defaults: the original's 96 mels, n_fft 2048, hop 512, `amplitudeToDb`, standardized). */
  features?: AudioFeatureOptions;
}

/** Options of {@link estimateNoise}. */
export type EstimateNoiseOptions = ImageEstimateNoiseOptions | AudioEstimateNoiseOptions;
