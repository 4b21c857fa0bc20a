/**
 * The standard normal distribution: CDF and quantile. Used where a Student-t has infinite
 * degrees of freedom, and as the starting point of the t quantile's Newton iteration.
 */
import { checkNumber } from '../util/checks.js';

/**
 * The complementary error function erfc(x), from the Chebyshev-fitted form given in Numerical
 * Recipes (`erfcc`): fractional error below 1.2e-7 everywhere, enough for p-values.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * The standard normal CDF, P(Z <= z) (relative error below about 1.2e-7).
 *
 * @example
 * normalCdf(1.959964); // 0.975
 */
export function normalCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  checkNumber('z', z);
  return 0.5 * erfc(-z / Math.SQRT2);
}

// Acklam's rational approximation of the normal quantile (relative error below 1.15e-9).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/**
 * The standard normal quantile: z with P(Z <= z) = p, for p in (0, 1) (relative error below
 * about 1e-9).
 *
 * @example
 * normalQuantile(0.975); // 1.959963...
 */
export function normalQuantile(p: number): number {
  checkNumber('p', p, 0, 1);
  if (p === 0 || p === 1) throw new RangeError(`p must be in the open interval (0, 1), got ${p}`);
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}
