/**
 * Seeded binomial sampling and the binomial standard error of an accuracy: resampling the test
 * items of a run whose only record is its accuracy and test-set size.
 */
import { checkInteger, checkNumber } from '../util/checks.js';
import type { Random } from '../util/random.js';

/**
 * Binomial standard error of an accuracy measured on `n` test items: `sqrt(p (1 - p) / n)`.
 *
 * @example
 * binomialStandardError(0.8, 1000); // 0.01265
 */
export function binomialStandardError(accuracy: number, n: number): number {
  checkNumber('accuracy', accuracy, 0, 1);
  checkInteger('n', n, 1, Number.MAX_SAFE_INTEGER);
  return Math.sqrt((accuracy * (1 - accuracy)) / n);
}

/**
 * Draws one Binomial(n, p) count with `random`: exact inversion, visiting the outcomes from
 * the mode outwards (mode, mode + 1, mode - 1, ...), so that it takes about `sqrt(n p (1 - p))`
 * steps instead of `n p`.
 *
 * @param n - trials, integer >= 0
 * @param p - success probability in [0, 1]
 * @example
 * binomialSample(1000, 0.8, createRandom(1)); // about 800
 */
export function binomialSample(n: number, p: number, random: Random): number {
  checkInteger('n', n, 0, Number.MAX_SAFE_INTEGER);
  checkNumber('p', p, 0, 1);
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  const q = 1 - p;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const logPmf = lnChoose(n, mode) + mode * Math.log(p) + (n - mode) * Math.log(q);
  const pmfMode = Math.exp(logPmf);
  const u = random.next();
  let cum = pmfMode;
  if (u < cum) return mode;
  let up = mode;
  let down = mode;
  let pUp = pmfMode;
  let pDown = pmfMode;
  const ratio = p / q;
  while (up < n || down > 0) {
    if (up < n) {
      pUp *= ((n - up) / (up + 1)) * ratio;
      up++;
      cum += pUp;
      if (u < cum) return up;
    }
    if (down > 0) {
      pDown *= (down / (n - down + 1)) / ratio;
      down--;
      cum += pDown;
      if (u < cum) return down;
    }
  }
  return mode; // rounding left u above the total mass (about 1e-15): the likeliest outcome
}

/** ln(n choose k): summed logs up to 256, the Stirling series beyond. */
function lnChoose(n: number, k: number): number {
  return lnFactorial(n) - lnFactorial(k) - lnFactorial(n - k);
}

const SMALL_LN_FACTORIAL: number[] = (() => {
  const out = [0];
  for (let i = 1; i <= 256; i++) out.push(out[i - 1] + Math.log(i));
  return out;
})();

function lnFactorial(n: number): number {
  if (n <= 256) return SMALL_LN_FACTORIAL[n];
  const x = n + 1;
  // Stirling series of ln Gamma(x): error below 1e-15 for x > 256.
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
}
