/**
 * Empirical quantiles of a sample (for percentile bootstrap intervals).
 */
import { checkNumber, describe } from '../util/checks.js';

/**
 * The `p` quantile of `values` by linear interpolation between order statistics (numpy's
 * default, `(n - 1) p`).
 *
 * @example
 * empiricalQuantile([1, 2, 3, 4], 0.5); // 2.5
 */
export function empiricalQuantile(values: readonly number[], p: number): number {
  if (!Array.isArray(values) || values.length === 0) throw new RangeError(`values must be a non-empty array, got ${describe(values)}`);
  checkNumber('p', p, 0, 1);
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  return i + 1 < sorted.length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}
