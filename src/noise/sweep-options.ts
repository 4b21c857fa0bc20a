/**
 * The option checks the image and audio sweeps share (`prepareEstimate`,
 * `prepareAudioEstimate`): class labels, model options and optimizer, hooks, the adaptive plan,
 * resumed levels and the training and knee settings. Each raises a `TypeError`/`RangeError`
 * naming the option, the bad value and what is allowed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, checkOneOf, describe } from '../util/checks.js';
import type { KneeMethod } from './knee.js';
import { checkFunction } from './level-support.js';
import type { AdaptivePlanOptions } from './levels.js';
import type { EstimateNoiseCommonOptions, NoiseOptimizer, NoiseStrategy } from './types.js';

/**
 * Checks the train and test labels (integers in [0, 2^24], train first) and returns the class
 * count (highest label + 1); the training set must hold at least 2 classes.
 *
 * @example
 * countClasses([0, 1, 2], [1, 3]); // 4
 */
export function countClasses(train: readonly number[], test: readonly number[]): number {
  let classes = 0;
  for (const [name, labels] of [['train', train], ['test', test]] as const) {
    labels.forEach((label, i) => {
      checkInteger(`data.${name}.labels[${i}]`, label, 0, 1 << 24);
      if (label + 1 > classes) classes = label + 1;
    });
  }
  if (new Set(train).size < 2) throw new RangeError(`data.train.labels must hold at least 2 classes, got only class ${train[0]}`);
  return classes;
}

/**
 * Checks `modelOptions` and `optimizer` (default `'adam'`; `'adam'`, `'paper'`, a `tf.Optimizer`
 * or a factory).
 *
 * @example
 * checkModelOptions({ modelOptions: { widthMultiplier: 0.5 } }); // { modelOptions: { widthMultiplier: 0.5, faithful: false }, optimizer: 'adam' }
 */
export function checkModelOptions(options: EstimateNoiseCommonOptions): {
  modelOptions: { widthMultiplier: number; faithful: boolean };
  optimizer: NoiseOptimizer;
} {
  const mo = options.modelOptions ?? {};
  if (typeof mo !== 'object' || mo === null) throw new TypeError(`modelOptions must be an object, got ${describe(mo)}`);
  const widthMultiplier = checkNumber('modelOptions.widthMultiplier', mo.widthMultiplier ?? 1, Number.MIN_VALUE);
  if (mo.faithful !== undefined && typeof mo.faithful !== 'boolean') {
    throw new TypeError(`modelOptions.faithful must be a boolean, got ${describe(mo.faithful)}`);
  }
  const optimizer = options.optimizer ?? 'adam';
  if (typeof optimizer === 'string') checkOneOf('optimizer', optimizer, ['adam', 'paper'] as const);
  else if (typeof optimizer !== 'function' && !(optimizer instanceof tf.Optimizer)) {
    throw new TypeError(`optimizer must be "adam", "paper", a tf.Optimizer or a factory, got ${describe(optimizer)}`);
  }
  return { modelOptions: { widthMultiplier, faithful: mo.faithful ?? false }, optimizer };
}

/** The defaults that differ between the image and the audio sweep. */
export interface SweepDefaults {
  batchSize: number;
  measureSamples: number;
  sourceBits: number;
  /** Largest allowed `sourceBits` (default: no limit). */
  maxSourceBits?: number;
}

/** The settings {@link checkSweepSettings} returns, checked and defaulted. */
export interface SweepSettings {
  epochs: number;
  batchSize: number;
  seed: number;
  strategy: NoiseStrategy;
  sensitivity: number;
  kneeMethod: KneeMethod;
  tolerance: number;
  sourceBits: number;
  concurrency: number;
  adaptive: AdaptivePlanOptions;
  measureSamples: number;
}

/**
 * Checks the hooks (`onProgress`, `onLevelComplete`, `levelRunner`), the adaptive plan,
 * `completedLevels` (each on `grid`) and the training and knee settings, with the defaults:
 * 10 epochs, seed 0, strategy `'grid'`, sensitivity 1, kneeMethod `'quality'`, tolerance 0.01,
 * concurrency 1, and `defaults` for the rest.
 *
 * @example
 * const settings = checkSweepSettings({ epochs: 3 }, [100, 50, 10], { batchSize: 128, measureSamples: 64, sourceBits: 16, maxSourceBits: 64 });
 * settings.epochs; // 3
 */
export function checkSweepSettings(options: EstimateNoiseCommonOptions, grid: readonly number[], defaults: SweepDefaults): SweepSettings {
  checkFunction('onProgress', options.onProgress);
  checkFunction('onLevelComplete', options.onLevelComplete);
  checkFunction('levelRunner', options.levelRunner);
  const adaptive = options.adaptive ?? {};
  if (adaptive.coarseCount !== undefined) checkInteger('adaptive.coarseCount', adaptive.coarseCount, 2, grid.length);
  if (adaptive.threshold !== undefined) checkNumber('adaptive.threshold', adaptive.threshold, 0, 1);
  if (options.completedLevels !== undefined) {
    if (!Array.isArray(options.completedLevels)) {
      throw new TypeError(`completedLevels must be an array of level results, got ${describe(options.completedLevels)}`);
    }
    options.completedLevels.forEach((r, i) => {
      if (typeof r !== 'object' || r === null) throw new TypeError(`completedLevels[${i}] must be a level result, got ${describe(r)}`);
      if (!grid.includes(r.level)) {
        throw new RangeError(`completedLevels[${i}].level must be one of levels (${grid.join(', ')}), got ${describe(r.level)}`);
      }
      checkNumber(`completedLevels[${i}].accuracy`, r.accuracy, 0, 1);
    });
  }
  return {
    epochs: checkInteger('epochs', options.epochs ?? 10, 1, 1_000_000),
    batchSize: checkInteger('batchSize', options.batchSize ?? defaults.batchSize, 1, 1 << 24),
    seed: checkNumber('seed', options.seed ?? 0),
    strategy: checkOneOf('strategy', options.strategy ?? 'grid', ['grid', 'adaptive'] as const),
    sensitivity: checkNumber('sensitivity', options.sensitivity ?? 1, 0),
    kneeMethod: checkOneOf('kneeMethod', options.kneeMethod ?? 'quality', ['quality', 'kneed-q'] as const),
    tolerance: checkNumber('tolerance', options.tolerance ?? 0.01, 0, 1),
    sourceBits: checkNumber('sourceBits', options.sourceBits ?? defaults.sourceBits, Number.MIN_VALUE, defaults.maxSourceBits),
    concurrency: checkInteger('concurrency', options.concurrency ?? 1, 1, 1024),
    adaptive,
    measureSamples: checkInteger('measureSamples', options.measureSamples ?? defaults.measureSamples, 0, 1 << 24),
  };
}
