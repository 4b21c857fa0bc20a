/**
 * The interval of a single run's accuracy: a percentile bootstrap over its test items.
 */
import { checkInteger, checkNumber } from '../util/checks.js';
import { createRandom } from '../util/random.js';
import { binomialSample } from './binomial.js';
import { empiricalQuantile } from './quantile.js';
import type { Interval } from './types.js';

/** Options of {@link bootstrapTestItems}. */
export interface BootstrapTestItemsOptions {
  /** Default 0.95. */
  confidence?: number;
  /** Resamples. Default 2000. */
  resamples?: number;
  /** Seed of the resampling. Default 0. */
  seed?: number;
}

/**
 * A percentile bootstrap interval of one run's accuracy over its test items. With only the
 * accuracy and the test-set size known, resampling `testCount` test items with replacement
 * draws the number correct from Binomial(testCount, accuracy), so each resample is
 * `binomialSample(testCount, accuracy) / testCount`. Seeded: the same inputs give the same
 * interval. Labeled `'bootstrap-test-items'`: it covers the test set's sampling noise, not the
 * training's (which needs repeats).
 *
 * @param accuracy - the run's test accuracy in [0, 1]
 * @param testCount - test items it was measured on
 * @example
 * bootstrapTestItems(0.8, 1000, { seed: 1 }); // { low: ~0.775, high: ~0.825, method: 'bootstrap-test-items', confidence: 0.95 }
 */
export function bootstrapTestItems(accuracy: number, testCount: number, options: BootstrapTestItemsOptions = {}): Interval {
  checkNumber('accuracy', accuracy, 0, 1);
  checkInteger('testCount', testCount, 1, Number.MAX_SAFE_INTEGER);
  const confidence = checkNumber('confidence', options.confidence ?? 0.95, 0, 1);
  if (confidence === 0 || confidence === 1) throw new RangeError(`confidence must be in the open interval (0, 1), got ${confidence}`);
  const resamples = checkInteger('resamples', options.resamples ?? 2000, 10, 10_000_000);
  const random = createRandom(checkNumber('seed', options.seed ?? 0));
  const draws = new Array<number>(resamples);
  for (let i = 0; i < resamples; i++) draws[i] = binomialSample(testCount, accuracy, random) / testCount;
  const alpha = (1 - confidence) / 2;
  return { low: empiricalQuantile(draws, alpha), high: empiricalQuantile(draws, 1 - alpha), method: 'bootstrap-test-items', confidence };
}
