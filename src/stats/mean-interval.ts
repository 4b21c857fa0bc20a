/**
 * The t-based confidence interval of a mean over repeats.
 */
import { checkNumber, describe } from '../util/checks.js';
import { tQuantile } from './student-t.js';
import type { Interval } from './types.js';

/** Sample mean and unbiased variance (n - 1 denominator; 0 for one value). */
export function meanAndVariance(values: readonly number[]): { mean: number; variance: number; n: number } {
  if (!Array.isArray(values) || values.length === 0) throw new RangeError(`values must be a non-empty array of numbers, got ${describe(values)}`);
  values.forEach((v, i) => checkNumber(`values[${i}]`, v));
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = n > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, variance, n };
}

/**
 * The `confidence` interval of the mean of `values` (at least 2) by Student's t:
 * `mean +- t(1 - (1 - confidence) / 2, n - 1) * s / sqrt(n)`. Equal values give a zero-width
 * interval (their spread is zero, not unknown).
 *
 * @param values - at least 2 finite numbers (e.g. the accuracies of a level's repeats)
 * @param confidence - default 0.95
 * @example
 * meanInterval([0.71, 0.73, 0.72]); // { low: 0.6952, high: 0.7448, method: 't', confidence: 0.95 }
 */
export function meanInterval(values: readonly number[], confidence = 0.95): Interval {
  checkNumber('confidence', confidence, 0, 1);
  if (confidence === 0 || confidence === 1) throw new RangeError(`confidence must be in the open interval (0, 1), got ${confidence}`);
  const { mean, variance, n } = meanAndVariance(values);
  if (n < 2) throw new RangeError(`values must hold at least 2 numbers for a t interval, got ${n} (use bootstrapTestItems for a single run)`);
  const half = tQuantile(1 - (1 - confidence) / 2, n - 1) * Math.sqrt(variance / n);
  return { low: mean - half, high: mean + half, method: 't', confidence };
}
