/**
 * The noise estimate: compress a labeled data set at many levels, train the same classifier at
 * each, find the knee of accuracy against quantization (N_approx), the bits that remain there,
 * the theoretical curve and a recommendation.
 *
 * Built from exported blocks so that other runners (worker threads, a resumable results file in
 * `helmholtz-ml/node`) can reuse them: {@link prepareEstimate} validates everything before any
 * work, {@link runLevel} trains one level, {@link summarizeLevels} turns finished levels into a
 * {@link NoiseEstimate}, and {@link estimateNoise} orchestrates (strategy, concurrency,
 * `levelRunner`, `completedLevels`, `onLevelComplete`, progress, abort).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkLabels, imagesToTensor, labelsToOneHot, packImages } from '../data/tensors.js';
import { bitsPerPixel, jpegBitsPerPixel } from '../image/bits.js';
import type { ImageBatch } from '../image/image.js';
import { jpegRoundTripBatch } from '../image/roundtrip.js';
import { buildImageModel } from '../models/image.js';
import { checkInteger, checkOneOf, describe } from '../util/checks.js';
import { prepareAudioEstimate, runAudioLevel, type PreparedAudioEstimate } from './audio-sweep.js';
import { findAccuracyKnee, type KneeMethod } from './knee.js';
import { abortError, now, startLevel, trainPreparedLevel, type PreparedTraining } from './level-support.js';
import {
  adaptiveNextLevels,
  DEFAULT_IMAGE_LEVELS,
  interpolateGrid,
  levelsToQ,
  validateLevels,
} from './levels.js';
import { accuracyStandardError, recommendLevel } from './recommend.js';
import { checkModelOptions, checkSweepSettings, countClasses, type SweepSettings } from './sweep-options.js';
import { fitTheoryCurve } from './theory.js';
import type {
  EstimateNoiseOptions,
  LabeledImages,
  LevelResult,
  LevelRunContext,
  LevelRunner,
  Modality,
  NoiseEstimate,
  NoiseImageArchitecture,
  NoiseStrategy,
  ProgressEvent,
} from './types.js';

/** One split, packed and checked. */
export interface PreparedSplit {
  batch: ImageBatch;
  labels: Int32Array;
}

/**
 * Every option checked and defaulted, the data packed: what {@link runLevel} needs (the model
 * and training settings, and the knee and run settings, as in the audio sweep).
 */
export interface PreparedEstimate extends PreparedTraining, SweepSettings {
  modality: 'image';
  /** The levels sorted by ascending Q (best quality first), and their Q. */
  grid: number[];
  gridQ: number[];
  train: PreparedSplit;
  test: PreparedSplit;
  /** [height, width, channels]. */
  inputShape: [number, number, number];
}

const ARCHITECTURES: readonly NoiseImageArchitecture[] = ['A', 'B', 'C', 'D', 'E', 'F'];

function checkSplit(name: string, split: unknown): LabeledImages {
  if (typeof split !== 'object' || split === null) {
    throw new TypeError(`data.${name} must be an object { images, labels }, got ${describe(split)}`);
  }
  const s = split as Partial<LabeledImages>;
  if (!Array.isArray(s.images)) throw new TypeError(`data.${name}.images must be an array of images, got ${describe(s.images)}`);
  if (s.images.length === 0) throw new RangeError(`data.${name}.images must not be empty (an empty ${name} set cannot be trained or scored)`);
  if (!Array.isArray(s.labels)) throw new TypeError(`data.${name}.labels must be an array of integer labels, got ${describe(s.labels)}`);
  if (s.labels.length !== s.images.length) {
    throw new RangeError(`data.${name}.labels must have one label per image: ${s.images.length} images but ${s.labels.length} labels`);
  }
  return s as LabeledImages;
}


/**
 * Checks every option of {@link estimateNoise} and packs the data, before any work starts:
 * empty data sets, labels not matching images, non-integer or negative labels, fewer than two
 * classes, mixed image sizes (within or across train and test), fewer than 3, unknown or
 * duplicate levels, bad model, training or strategy settings, `completedLevels` outside the
 * grid: each a `TypeError`/`RangeError` naming the option, the bad value and what is allowed.
 *
 * @example
 * const prepared = prepareEstimate({ data, levels: [1, 10, 50, 100], epochs: 3 });
 * prepared.grid; // [100, 50, 10, 1] (ascending Q)
 */
export function prepareEstimate(options: EstimateNoiseOptions): PreparedEstimate {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object { data, levels, model, ... }, got ${describe(options)}`);
  }
  const modality = checkOneOf('modality', (options as { modality?: unknown }).modality ?? 'image', ['image', 'audio'] as const);
  if (modality !== 'image') {
    throw new RangeError(`prepareEstimate takes modality "image"; use prepareAudioEstimate (or estimateNoise) for "audio", got ${describe(modality)}`);
  }
  const data = options.data as unknown;
  if (typeof data !== 'object' || data === null) {
    throw new TypeError(`data must be an object { train: { images, labels }, test: { images, labels } }, got ${describe(data)}`);
  }
  const train = checkSplit('train', (data as { train?: unknown }).train);
  const test = checkSplit('test', (data as { test?: unknown }).test);
  const classes = countClasses(train.labels, test.labels);
  const trainBatch = packImages(train.images, 'data.train.images');
  const testBatch = packImages(test.images, 'data.test.images');
  if (trainBatch.width !== testBatch.width || trainBatch.height !== testBatch.height || trainBatch.channels !== testBatch.channels) {
    throw new RangeError(
      `data.train and data.test images must have one size: train is ${trainBatch.width}x${trainBatch.height}x${trainBatch.channels}, test is ${testBatch.width}x${testBatch.height}x${testBatch.channels}`,
    );
  }
  const grid = validateLevels(options.levels ?? [...DEFAULT_IMAGE_LEVELS], 'image');
  const model = options.model ?? 'A';
  if (typeof model !== 'function') checkOneOf('model', model, ARCHITECTURES);
  const { modelOptions, optimizer } = checkModelOptions(options);
  if (options.augment !== undefined && typeof options.augment !== 'boolean') {
    throw new TypeError(`augment must be a boolean, got ${describe(options.augment)}`);
  }
  const settings = checkSweepSettings(options, grid, {
    batchSize: 128,
    measureSamples: 64,
    sourceBits: trainBatch.channels === 3 ? 16 : 8,
    maxSourceBits: 64,
  });
  return {
    modality: 'image',
    grid,
    gridQ: levelsToQ(grid, 'image'),
    train: { batch: trainBatch, labels: checkLabels('data.train.labels', train.labels, classes) },
    test: { batch: testBatch, labels: checkLabels('data.test.labels', test.labels, classes) },
    classes,
    inputShape: [trainBatch.height, trainBatch.width, trainBatch.channels],
    model,
    modelOptions,
    optimizer,
    augment: options.augment ?? false,
    ...settings,
  };
}

/**
 * Validates the options of {@link estimateNoise} without running anything (throws on bad
 * input); the same checks `estimateNoise` makes before its first training.
 *
 * @example
 * validateEstimateOptions({ data, levels: [1, 50] }); // RangeError: levels must hold at least 3 levels ...
 */
export function validateEstimateOptions(options: EstimateNoiseOptions): void {
  prepareAny(options);
}

/** {@link prepareEstimate} or, for `modality: 'audio'`, `prepareAudioEstimate`. */
function prepareAny(options: EstimateNoiseOptions): PreparedEstimate | PreparedAudioEstimate {
  if (typeof options === 'object' && options !== null && options.modality === 'audio') return prepareAudioEstimate(options);
  return prepareEstimate(options);
}




/**
 * Trains one level: JPEG round trip of train and test sets at quality `level`, pixels to
 * [0, 1], a fresh model (built with the run's seed, so every level starts from the same
 * weights), training with the test set as validation, then bits per pixel (paper, tables, and
 * measured on up to `measureSamples` test images). Disposes every tensor it makes.
 *
 * @param context - `levelIndex`/`levelCount` for progress events, `onProgress`, `signal`
 * @example
 * const prepared = prepareEstimate({ data, epochs: 2 });
 * const result = await runLevel(prepared, 25, { levelIndex: 0, levelCount: 1 });
 * result.accuracy; // mean of the best 10 validation accuracies
 */
export async function runLevel(prepared: PreparedEstimate, level: number, context: LevelRunContext): Promise<LevelResult> {
  checkInteger('level', level, 1, 100);
  const { signal } = context;
  const { started, base } = startLevel(level, context);
  const trainC = jpegRoundTripBatch(prepared.train.batch, level);
  const testC = jpegRoundTripBatch(prepared.test.batch, level);
  const { batch: testBatch } = prepared.test;
  const size = testBatch.width * testBatch.height * testBatch.channels;
  const samples = Math.min(prepared.measureSamples, testBatch.count);
  let measured = 0;
  for (let i = 0; i < samples; i++) {
    const image = { width: testBatch.width, height: testBatch.height, channels: testBatch.channels, data: testBatch.data.subarray(i * size, (i + 1) * size) };
    measured += jpegBitsPerPixel(image, level).scan;
  }
  const compressSeconds = now() - started;
  if (signal?.aborted) throw abortError(signal);

  const trainStart = now();
  const result = await trainPreparedLevel(
    prepared,
    'image',
    {
      x: imagesToTensor(trainC),
      y: labelsToOneHot(prepared.train.labels, prepared.classes),
      vx: imagesToTensor(testC),
      vy: labelsToOneHot(prepared.test.labels, prepared.classes),
    },
    buildImageModel,
    base,
    context,
  );
  const trainSeconds = now() - trainStart;
  return {
    level,
    Q: (100 - level) / 100,
    accuracy: result.paperAccuracy,
    bestAccuracy: result.bestAccuracy,
    epochsToConverge: result.epochsToConverge,
    history: result.history,
    bitsPerPixel: {
      paper: bitsPerPixel(level, { method: 'paper', sourceBits: prepared.sourceBits }).remainingBits,
      tables: bitsPerPixel(level, { method: 'tables', sourceBits: prepared.sourceBits }).remainingBits,
      measured: samples > 0 ? measured / samples : NaN,
    },
    testCount: testBatch.count,
    seconds: now() - started,
    compressSeconds,
    trainSeconds,
  };
}

/** What {@link summarizeLevels} needs besides the finished levels (all optional). */
export interface SummarizeOptions {
  /** Default 'image'. */
  modality?: Modality;
  /** The full grid of levels (default: the finished levels). The knee is found on this grid, unfinished levels interpolated. */
  grid?: readonly number[];
  /** Default 16 (image) or the highest bitrate in bits per second (audio). */
  sourceBits?: number;
  /** Default 0.01. */
  tolerance?: number;
  /** Default 1. */
  sensitivity?: number;
  /** Default 'quality'. */
  kneeMethod?: KneeMethod;
  /** Default 'grid'. */
  strategy?: NoiseStrategy;
  /** Default: the current tfjs backend's name. */
  backend?: string;
  /** Trainings run by the caller. Default: the number of levels. */
  trainingsRun?: number;
  /** Wall time of the run. Default: the sum of the levels' times. */
  totalSeconds?: number;
  trainCount?: number;
  classes?: number;
}

function currentBackend(): string {
  try {
    return tf.getBackend() ?? 'none';
  } catch {
    return 'none';
  }
}

/**
 * Summarizes finished levels into a {@link NoiseEstimate}: levels sorted by Q; the knee
 * (`findAccuracyKnee` on the grid, unfinished grid levels linearly interpolated in Q, floor
 * band `max(0.02, 2 standard errors of the lowest accuracy)`); content bits (remaining bits per
 * pixel at the knee, paper method) and noise bits (`sourceBits - contentBits`); the theoretical
 * curve; and the recommendation (`recommendLevel`).
 *
 * @example
 * const estimate = summarizeLevels(levelsFromFile, { grid: [1, 5, 10, 15, 20, 25, 50, 75, 100] });
 * estimate.knee; // { level: 20, Q: 0.8 } or null
 */
export function summarizeLevels(levels: readonly LevelResult[], options: SummarizeOptions = {}): NoiseEstimate {
  if (!Array.isArray(levels) || levels.length === 0) throw new RangeError('levels must hold at least one finished level, got none');
  const modality = options.modality ?? 'image';
  const sorted = [...levels].sort((a, b) => a.Q - b.Q);
  const byLevel = new Map<number, number>(sorted.map((r) => [r.level, r.accuracy]));
  const gridLevels = options.grid ? validateLevels([...options.grid], modality) : sorted.map((r) => r.level);
  const gridQ = levelsToQ(gridLevels, modality);
  const testCount = sorted[0].testCount;
  const tolerance = options.tolerance ?? 0.01;
  let knee: NoiseEstimate['knee'] = null;
  const trainedInGrid = gridLevels.filter((l) => byLevel.has(l));
  if (trainedInGrid.length > 0) {
    const accs = interpolateGrid(gridLevels, gridQ, byLevel);
    const minAcc = Math.min(...sorted.map((r) => r.accuracy));
    const floorBand = Math.max(0.02, 2 * accuracyStandardError(minAcc, testCount));
    const kneeQ = findAccuracyKnee(
      gridQ.map((Q, i) => ({ Q, accuracy: accs[i] })),
      { method: options.kneeMethod ?? 'quality', sensitivity: options.sensitivity ?? 1, floorBand },
    );
    if (kneeQ !== null) knee = { level: gridLevels[gridQ.indexOf(kneeQ)], Q: kneeQ };
  }
  const sourceBits = options.sourceBits ?? (modality === 'image' ? 16 : Math.max(...gridLevels) * 1000);
  let contentBits: number | null = null;
  if (knee) {
    contentBits = modality === 'image' ? bitsPerPixel(knee.level, { method: 'paper', sourceBits }).remainingBits : knee.level * 1000;
  }
  const sum = (f: (r: LevelResult) => number): number => sorted.reduce((s, r) => s + f(r), 0);
  return {
    modality,
    levels: sorted,
    knee,
    contentBits,
    noiseBits: contentBits === null ? null : sourceBits - contentBits,
    sourceBits,
    theory: fitTheoryCurve(sorted.map((r) => ({ Q: r.Q, accuracy: r.accuracy }))),
    recommendation: recommendLevel(sorted, { tolerance, modality }),
    timings: {
      totalSeconds: options.totalSeconds ?? sum((r) => r.seconds),
      compressSeconds: sum((r) => r.compressSeconds),
      trainSeconds: sum((r) => r.trainSeconds),
    },
    backend: options.backend ?? currentBackend(),
    trainingsRun: options.trainingsRun ?? sorted.length,
    trainingsSaved: Math.max(0, gridLevels.length - trainedInGrid.length),
    strategy: options.strategy ?? 'grid',
    trainCount: options.trainCount ?? 0,
    testCount,
    classes: options.classes ?? 0,
  };
}

/**
 * Estimates how much of a labeled image data set is noise: compresses train and test sets
 * with JPEG at each level, trains the same classifier at each (fresh weights from the same
 * seed), and summarizes the accuracy-vs-Q curve: its knee N_approx, the bits per pixel that
 * remain there (content) and the rest (noise), the paper's theoretical curve, and the strongest
 * compression that costs no accuracy. All options are checked before the first training.
 *
 * Strategies: `'grid'` trains every level; `'adaptive'` trains `adaptive.coarseCount` levels
 * spread over the grid, then bisects (by grid index) each interval whose end accuracies differ
 * by more than `adaptive.threshold` until neighbours are adjacent, then makes sure the knee
 * found on the (interpolated) grid is a trained level. `trainingsSaved` counts the grid
 * levels it never trained.
 *
 * Hooks: `levelRunner` replaces {@link runLevel} (e.g. worker threads; `concurrency` levels
 * run at once), `completedLevels` are reused without training (resume), `onLevelComplete` is
 * awaited after each level (persist it), `onProgress` gets compress/train/done events with
 * elapsed time and an ETA, `signal` aborts between epochs (rejects with its reason or an
 * `AbortError`).
 *
 * @example
 * import { estimateNoise, syntheticSensorImages } from 'helmholtz-ml';
 * const train = syntheticSensorImages({ count: 2000, noise: 8, seed: 1 });
 * const test = syntheticSensorImages({ count: 500, noise: 8, seed: 2 });
 * const estimate = await estimateNoise({ data: { train, test }, modelOptions: { widthMultiplier: 0.25 }, epochs: 5 });
 * console.log(estimate.knee, estimate.contentBits, estimate.recommendation.reason);
 */
export async function estimateNoise(options: EstimateNoiseOptions): Promise<NoiseEstimate> {
  const prepared = prepareAny(options);
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal);
  const start = now();
  const { grid } = prepared;
  const results = new Map<number, LevelResult>();
  for (const r of options.completedLevels ?? []) results.set(r.level, r);
  const runner: LevelRunner =
    options.levelRunner ??
    ((level, context) => (prepared.modality === 'audio' ? runAudioLevel(prepared, level, context) : runLevel(prepared, level, context)));
  let trainingsRun = 0;
  let started = 0;
  const resumedSeconds = [...results.values()].reduce((s, r) => s + r.seconds, 0);
  // Progress: epochs done (compression counted as one epoch) over epochs planned; the adaptive
  // strategy plans (an upper bound) every grid level not finished yet.
  const levelCount = Math.max(grid.filter((l) => !results.has(l)).length, 1);
  const unitsPerLevel = prepared.epochs + 1;
  const progressUnits = new Map<number, number>();
  let lastLevel = grid[0];
  const emit = (event: Omit<ProgressEvent, 'elapsedSeconds'>): void => {
    if (!options.onProgress) return;
    const done = [...progressUnits.values()].reduce((s, v) => s + v, 0);
    const elapsed = now() - start;
    const total = levelCount * unitsPerLevel;
    const eta = done > 0 ? (elapsed / done) * Math.max(total - done, 0) : undefined;
    options.onProgress({ ...event, elapsedSeconds: elapsed, ...(eta === undefined ? {} : { etaSeconds: eta }) });
  };

  const runOne = async (level: number): Promise<void> => {
    if (signal?.aborted) throw abortError(signal);
    const levelIndex = started++;
    lastLevel = level;
    const result = await runner(level, {
      levelIndex,
      levelCount,
      signal,
      onProgress: (event) => {
        progressUnits.set(levelIndex, event.phase === 'compress' ? 0 : event.phase === 'train' ? 1 + (event.epoch ?? 0) : unitsPerLevel);
        emit({ ...event, level, levelIndex, levelCount });
      },
    });
    if (result.level !== level) throw new Error(`levelRunner returned level ${result.level} for level ${level}`);
    progressUnits.set(levelIndex, unitsPerLevel);
    trainingsRun++;
    results.set(level, result);
    await options.onLevelComplete?.(result);
  };

  const runAll = async (levels: number[]): Promise<void> => {
    const todo = levels.filter((l) => !results.has(l));
    let next = 0;
    const workers = Array.from({ length: Math.min(prepared.concurrency, todo.length) }, async () => {
      while (next < todo.length) await runOne(todo[next++]);
    });
    await Promise.all(workers);
  };

  if (prepared.strategy === 'grid') {
    await runAll(grid);
  } else {
    const kneeLevel = (): number | null => summarize().knee?.level ?? null;
    for (let round = 0; round <= grid.length; round++) {
      const accuracy = new Map([...results].map(([l, r]) => [l, r.accuracy]));
      const next = adaptiveNextLevels(grid, accuracy, kneeLevel, prepared.adaptive);
      if (next.length === 0) break;
      await runAll(next);
    }
  }

  function summarize(): NoiseEstimate {
    return summarizeLevels([...results.values()], {
      modality: prepared.modality,
      grid,
      sourceBits: prepared.sourceBits,
      tolerance: prepared.tolerance,
      sensitivity: prepared.sensitivity,
      kneeMethod: prepared.kneeMethod,
      strategy: prepared.strategy,
      trainingsRun,
      totalSeconds: now() - start + resumedSeconds,
      trainCount: prepared.modality === 'audio' ? prepared.train.signals.length : prepared.train.batch.count,
      classes: prepared.classes,
    });
  }
  const estimate = summarize();
  emit({ phase: 'done', level: lastLevel, levelIndex: Math.max(started - 1, 0), levelCount });
  return estimate;
}
