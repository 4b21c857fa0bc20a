/**
 * Welch's one-sided t-test of two means with unequal variances.
 */
import { checkNumber } from '../util/checks.js';
import { tCdf, tQuantile } from './student-t.js';

/** A mean, the variance of that mean, and the degrees of freedom of that variance. */
export interface MeanEstimate {
  mean: number;
  /** Variance of the mean (s^2 / n over repeats). */
  varianceOfMean: number;
  /** Degrees of freedom of `varianceOfMean` (n - 1 over repeats). */
  df: number;
}

/** Result of {@link welchOneSided}. */
export interface WelchResult {
  /** `candidate.mean - reference.mean`. */
  difference: number;
  /** Two-sided `1 - 2 alpha` interval of the difference (its upper end is the test's one-sided bound). */
  ci: [number, number];
  /** Welch-Satterthwaite degrees of freedom. */
  df: number;
  /** Standard error of the difference. */
  standardError: number;
  /** The t statistic `difference / standardError` (+-Infinity or NaN when the error is 0). */
  t: number;
  /** One-sided p-value of "candidate below reference": P(T <= t). */
  p: number;
  /** `p < alpha`: the candidate is significantly below the reference. */
  significant: boolean;
  alpha: number;
}

function checkEstimate(name: string, e: MeanEstimate): void {
  checkNumber(`${name}.mean`, e.mean);
  checkNumber(`${name}.varianceOfMean`, e.varianceOfMean, 0);
  if (!(e.df > 0)) throw new RangeError(`${name}.df must be > 0 (or Infinity), got ${e.df}`);
}

/**
 * Welch's one-sided test that `candidate`'s mean is below `reference`'s:
 * `t = (m_c - m_r) / sqrt(v_c + v_r)` with Welch-Satterthwaite degrees of freedom
 * `(v_c + v_r)^2 / (v_c^2 / df_c + v_r^2 / df_r)`, p = P(T <= t). With two zero variances the
 * difference is exact: p is 0 below, 0.5 at equality, 1 above.
 *
 * @param alpha - significance level, default 0.05
 * @example
 * const a = sampleEstimate([0.71, 0.73, 0.72]);
 * const b = sampleEstimate([0.76, 0.75, 0.77]);
 * welchOneSided(a, b); // { difference: -0.04, df: 4, p: 0.0023, significant: true, ... }
 */
export function welchOneSided(candidate: MeanEstimate, reference: MeanEstimate, alpha = 0.05): WelchResult {
  checkEstimate('candidate', candidate);
  checkEstimate('reference', reference);
  checkNumber('alpha', alpha, 0, 0.5);
  if (alpha === 0) throw new RangeError('alpha must be in (0, 0.5], got 0');
  const difference = candidate.mean - reference.mean;
  const v = candidate.varianceOfMean + reference.varianceOfMean;
  const standardError = Math.sqrt(v);
  if (v === 0) {
    const p = difference < 0 ? 0 : difference > 0 ? 1 : 0.5;
    return { difference, ci: [difference, difference], df: Infinity, standardError: 0, t: difference === 0 ? NaN : difference * Infinity, p, significant: p < alpha, alpha };
  }
  const term = (e: MeanEstimate): number => (e.df === Infinity ? 0 : e.varianceOfMean ** 2 / e.df);
  const denom = term(candidate) + term(reference);
  const df = denom === 0 ? Infinity : (v * v) / denom;
  const t = difference / standardError;
  const p = tCdf(t, df);
  const half = tQuantile(1 - alpha, df) * standardError;
  return { difference, ci: [difference - half, difference + half], df, standardError, t, p, significant: p < alpha, alpha };
}
