/**
 * Isotonic (monotone non-decreasing) least-squares fit by pool-adjacent-violators.
 */
import { checkNumber, describe } from '../util/checks.js';

/**
 * The non-decreasing sequence closest to `values` in (weighted) least squares: pool adjacent
 * violators (Ayer et al. 1955; the same fit as scikit-learn's `IsotonicRegression` with
 * `increasing=True`). Each run of values that would decrease is replaced by its weighted mean,
 * repeated until nothing decreases. A non-decreasing input comes back unchanged.
 *
 * @param values - the sequence, in the order the fit must not decrease along
 * @param weights - one positive weight per value. Default: all 1.
 * @returns a new array of the fitted values, as long as `values`
 * @example
 * isotonicIncreasing([0.45, 0.50, 0.51, 0.49, 0.52]); // [0.45, 0.5, 0.5, 0.5, 0.52]
 */
export function isotonicIncreasing(values: readonly number[], weights?: readonly number[]): number[] {
  if (!Array.isArray(values)) throw new TypeError(`values must be an array of numbers, got ${describe(values)}`);
  if (weights !== undefined && (!Array.isArray(weights) || weights.length !== values.length)) {
    throw new RangeError(`weights must hold one positive number per value (${values.length}), got ${describe(weights)}`);
  }
  values.forEach((v, i) => checkNumber(`values[${i}]`, v));
  weights?.forEach((w, i) => {
    if (!(checkNumber(`weights[${i}]`, w, 0) > 0)) throw new RangeError(`weights[${i}] must be > 0, got ${w}`);
  });
  // Blocks of pooled values: mean, total weight, count.
  const means: number[] = [];
  const totals: number[] = [];
  const sizes: number[] = [];
  values.forEach((v, i) => {
    let mean = v;
    let total = weights ? weights[i] : 1;
    let size = 1;
    while (means.length > 0 && means[means.length - 1] > mean) {
      const m = means.pop()!;
      const t = totals.pop()!;
      mean = (m * t + mean * total) / (t + total);
      total += t;
      size += sizes.pop()!;
    }
    means.push(mean);
    totals.push(total);
    sizes.push(size);
  });
  const out: number[] = [];
  means.forEach((m, b) => {
    for (let k = 0; k < sizes[b]; k++) out.push(m);
  });
  return out;
}
