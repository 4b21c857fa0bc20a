/**
 * The mean accuracy of one level and its uncertainty: over repeats when they vary, else from
 * the binomial noise of the test items.
 */
import { checkInteger, checkNumber, describe } from '../util/checks.js';
import { bootstrapTestItems } from './bootstrap-test-items.js';
import { meanAndVariance, meanInterval } from './mean-interval.js';
import type { Interval } from './types.js';
import type { MeanEstimate } from './welch.js';

/** One run (one repeat of one level) as the statistics see it: a `RunResult` fits. */
export interface RunLike {
  accuracy: number;
  /** Test items the accuracy was measured on (the level's `testCount` when absent). */
  testCount?: number;
}

/** A level as the statistics see it: a `LevelResult` fits. */
export interface LevelRunsLike {
  level: number;
  Q: number;
  runs: readonly RunLike[];
  testCount: number;
}

/** Where a level's variance comes from. */
export type VarianceSource = 'repeats' | 'binomial-single-run' | 'binomial-zero-variance';

/** {@link MeanEstimate} of a level, with the source of its variance. */
export interface LevelEstimate extends MeanEstimate {
  source: VarianceSource;
  /** Number of runs. */
  n: number;
}

/** Checks a level's runs and returns their accuracies. */
export function runAccuracies(level: LevelRunsLike, name = 'level'): number[] {
  if (typeof level !== 'object' || level === null) throw new TypeError(`${name} must be an object { level, Q, runs, testCount }, got ${describe(level)}`);
  if (!Array.isArray(level.runs) || level.runs.length === 0) {
    throw new RangeError(`${name}.runs must hold at least one run, got ${describe(level.runs)} (level ${describe(level.level)})`);
  }
  checkInteger(`${name}.testCount`, level.testCount, 1, Number.MAX_SAFE_INTEGER);
  return level.runs.map((r, i) => checkNumber(`${name}.runs[${i}].accuracy`, r?.accuracy, 0, 1));
}

/**
 * Binomial variance of an accuracy over `n` test items, `p (1 - p) / n`, with `p` pulled half
 * an item towards 1/2 so that an accuracy of 0 or 1 does not claim zero noise.
 */
function binomialVariance(accuracy: number, n: number): number {
  const p = (accuracy * n + 0.5) / (n + 1);
  return (p * (1 - p)) / n;
}

/**
 * The mean accuracy of a level and the variance of that mean. Two or more runs that differ:
 * `s^2 / n` with `n - 1` degrees of freedom (`'repeats'`). One run, or runs that all agree
 * (zero spread, e.g. a deterministic trainer): the binomial variance of the test items,
 * `p (1 - p) / testCount` with `testCount - 1` degrees of freedom (the repeats share one test
 * set, so it does not shrink with n); `source` says which.
 *
 * With `includeTestItems`, the variance is the training's and the test set's together:
 * `s^2 / n + p (1 - p) / testCount` (degrees of freedom by Welch-Satterthwaite), for questions
 * about the data rather than about this test set (is the curve flat, is it above chance).
 *
 * @example
 * levelEstimate({ level: 20, Q: 0.8, testCount: 1000, runs: [{ accuracy: 0.71 }, { accuracy: 0.73 }] });
 * // { mean: 0.72, varianceOfMean: 0.0001, df: 1, source: 'repeats', n: 2 }
 */
export function levelEstimate(level: LevelRunsLike, options: { includeTestItems?: boolean } = {}): LevelEstimate {
  const accs = runAccuracies(level);
  const { mean, variance, n } = meanAndVariance(accs);
  const items = binomialVariance(mean, level.testCount);
  const itemsDf = Math.max(level.testCount - 1, 1);
  if (n >= 2 && variance > 0) {
    const repeats = variance / n;
    if (!options.includeTestItems) return { mean, varianceOfMean: repeats, df: n - 1, source: 'repeats', n };
    const total = repeats + items;
    return { mean, varianceOfMean: total, df: (total * total) / (repeats ** 2 / (n - 1) + items ** 2 / itemsDf), source: 'repeats', n };
  }
  return { mean, varianceOfMean: items, df: itemsDf, source: n === 1 ? 'binomial-single-run' : 'binomial-zero-variance', n };
}

/**
 * The 95% (or `confidence`) interval of a level's mean accuracy: t over its repeats when two
 * or more runs differ (`method: 't'`); otherwise a bootstrap over the test items
 * (`'bootstrap-test-items'`, {@link bootstrapTestItems}) of the mean, seeded.
 *
 * @example
 * levelAccuracyInterval({ level: 20, Q: 0.8, testCount: 1000, runs: [{ accuracy: 0.8 }] }, { seed: 1 });
 * // { low: ~0.775, high: ~0.825, method: 'bootstrap-test-items', confidence: 0.95 }
 */
export function levelAccuracyInterval(level: LevelRunsLike, options: { confidence?: number; seed?: number; resamples?: number } = {}): Interval {
  const accs = runAccuracies(level);
  const { mean, variance, n } = meanAndVariance(accs);
  if (n >= 2 && variance > 0) return meanInterval(accs, options.confidence ?? 0.95);
  return bootstrapTestItems(mean, level.testCount, options);
}
