/**
 * The option checks of `prepareSweep`: class labels, model options and optimizer, hooks, the
 * adaptive plan, resumed cells, repeats, the validation split and the training and knee settings. Each raises a `TypeError`/`RangeError`
 * naming the option, the bad value and what is allowed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, checkOneOf, describe } from '../util/checks.js';
import type { KneeMethod } from './knee.js';
import type { AdaptivePlanOptions } from './adaptive.js';
import type { EstimateNoiseCommonOptions, Metric, NoiseOptimizer, NoiseStrategy } from './types.js';
import type { WeightInitializer } from '../models/build-options.js';

/** Throws a `TypeError` unless `value` is undefined or a function. */
export function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') throw new TypeError(`${name} must be a function, got ${describe(value)}`);
}

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
 * checkModelOptions({ modelOptions: { widthMultiplier: 0.5 } }); // { modelOptions: { widthMultiplier: 0.5, faithful: false, initializer: 'keras' }, optimizer: 'adam' }
 */
export function checkModelOptions(options: EstimateNoiseCommonOptions): {
  modelOptions: { widthMultiplier: number; faithful: boolean; initializer: WeightInitializer };
  optimizer: NoiseOptimizer;
} {
  const mo = options.modelOptions ?? {};
  if (typeof mo !== 'object' || mo === null) throw new TypeError(`modelOptions must be an object, got ${describe(mo)}`);
  const widthMultiplier = checkNumber('modelOptions.widthMultiplier', mo.widthMultiplier ?? 1, Number.MIN_VALUE);
  if (mo.faithful !== undefined && typeof mo.faithful !== 'boolean') {
    throw new TypeError(`modelOptions.faithful must be a boolean, got ${describe(mo.faithful)}`);
  }
  const initializer = checkOneOf('modelOptions.initializer', mo.initializer ?? 'keras', ['keras', 'pytorch'] as const);
  const optimizer = options.optimizer ?? 'adam';
  if (typeof optimizer === 'string') checkOneOf('optimizer', optimizer, ['adam', 'paper'] as const);
  else if (typeof optimizer !== 'function' && !(optimizer instanceof tf.Optimizer)) {
    throw new TypeError(`optimizer must be "adam", "paper", a tf.Optimizer or a factory, got ${describe(optimizer)}`);
  }
  return { modelOptions: { widthMultiplier, faithful: mo.faithful ?? false, initializer }, optimizer };
}

/** The defaults that differ between modalities and codecs. */
export interface SweepDefaults {
  batchSize: number;
  measureSamples: number;
  sourceBits: number;
  /** Largest allowed `sourceBits` (default: no limit). */
  maxSourceBits?: number;
}

/** The training budget: a fixed number of epochs, or `'auto'` with its patience and ceiling. */
export type EpochBudget = { epochs: number; patience?: undefined; maxEpochs?: undefined } | { epochs: 'auto'; patience: number; maxEpochs: number };

/** The settings {@link checkSweepSettings} returns, checked and defaulted. */
export interface SweepSettings {
  budget: EpochBudget;
  /** Epochs planned per cell (the maximum with `'auto'`), for progress. */
  epochs: number;
  repeats: number;
  metric: Metric;
  validationFraction: number;
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
 * The epoch budget: `epochs` an integer >= 1 (default 10) or `'auto'`; `patience` (default 5)
 * and `maxEpochs` (default 100) only with `'auto'`.
 *
 * @example
 * checkEpochBudget({ epochs: 'auto', patience: 3 }); // { epochs: 'auto', patience: 3, maxEpochs: 100 }
 */
export function checkEpochBudget(options: { epochs?: number | 'auto'; patience?: number; maxEpochs?: number }): EpochBudget {
  const epochs = options.epochs ?? 10;
  if (epochs === 'auto') {
    return {
      epochs,
      patience: checkInteger('patience', options.patience ?? 5, 1, 1_000_000),
      maxEpochs: checkInteger('maxEpochs', options.maxEpochs ?? 100, 1, 1_000_000),
    };
  }
  if (typeof epochs === 'string') throw new RangeError(`epochs must be an integer >= 1 or "auto", got ${describe(epochs)}`);
  for (const key of ['patience', 'maxEpochs'] as const) {
    if (options[key] !== undefined) throw new RangeError(`${key} needs epochs: 'auto' (it sets when automatic training stops), got ${key} ${describe(options[key])} with epochs ${describe(epochs)}`);
  }
  return { epochs: checkInteger('epochs', epochs, 1, 1_000_000) };
}

/**
 * Checks the hooks (`onProgress`, `onCellComplete`, `cellRunner`), the adaptive plan,
 * `completedCells` (each on `grid`), `repeats` (default 3), `metric` (default `'selected'`),
 * `validationFraction` (default 0.1, in (0, 0.5], or 0 with a fixed `epochs`) and the training and knee settings, with the
 * defaults: 10 epochs, seed 0, strategy `'grid'`, sensitivity 1, kneeMethod `'quality'`,
 * tolerance 0.01, concurrency 1, and `defaults` for the rest.
 *
 * @example
 * const settings = checkSweepSettings({ epochs: 3 }, [100, 50, 10], { batchSize: 128, measureSamples: 64, sourceBits: 16, maxSourceBits: 64 });
 * settings.epochs; // 3
 */
export function checkSweepSettings(options: EstimateNoiseCommonOptions, grid: readonly number[], defaults: SweepDefaults): SweepSettings {
  checkFunction('onProgress', options.onProgress);
  checkFunction('onCellComplete', options.onCellComplete);
  checkFunction('cellRunner', options.cellRunner);
  const adaptive = options.adaptive ?? {};
  if (adaptive.coarseCount !== undefined) checkInteger('adaptive.coarseCount', adaptive.coarseCount, 2, grid.length);
  if (adaptive.threshold !== undefined) checkNumber('adaptive.threshold', adaptive.threshold, 0, 1);
  if (options.completedCells !== undefined) {
    if (!Array.isArray(options.completedCells)) {
      throw new TypeError(`completedCells must be an array of run results, got ${describe(options.completedCells)}`);
    }
    options.completedCells.forEach((r, i) => {
      if (typeof r !== 'object' || r === null) throw new TypeError(`completedCells[${i}] must be a run result, got ${describe(r)}`);
      if (!grid.includes(r.level)) {
        throw new RangeError(`completedCells[${i}].level must be one of levels (${grid.join(', ')}), got ${describe(r.level)}`);
      }
      checkInteger(`completedCells[${i}].repeat`, r.repeat, 0, 1_000_000);
      checkNumber(`completedCells[${i}].accuracy`, r.accuracy, 0, 1);
    });
  }
  const repeats = options.repeats ?? 3;
  if (typeof repeats !== 'number' || !Number.isInteger(repeats) || repeats < 1) {
    throw new RangeError(`repeats must be an integer >= 1 (trainings per level), got ${describe(repeats)}`);
  }
  const validationFraction = options.validationFraction ?? 0.1;
  if (typeof validationFraction !== 'number' || !(validationFraction >= 0 && validationFraction <= 0.5)) {
    throw new RangeError(
      `validationFraction must be 0 (no split) or a number in (0, 0.5] (the fraction of each training class held out to pick the epoch), got ${describe(validationFraction)}`,
    );
  }
  const budget = checkEpochBudget(options);
  if (validationFraction === 0 && budget.epochs === 'auto') {
    throw new RangeError("validationFraction 0 (no validation split) needs a fixed epochs count: epochs 'auto' stops on the validation accuracy, which would then be the test set's");
  }
  return {
    budget,
    epochs: budget.epochs === 'auto' ? budget.maxEpochs : budget.epochs,
    repeats: checkInteger('repeats', repeats, 1, 10_000),
    metric: checkOneOf('metric', options.metric ?? 'selected', ['selected', 'paper', 'last'] as const),
    validationFraction,
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
