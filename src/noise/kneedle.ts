/**
 * The Kneedle knee detector (Satopaa, Albrecht, Irwin, Raghavan, 2011) exactly as the Python
 * package kneed (0.8.6) implements it in `KneeLocator(x, y, S, curve, direction,
 * interp_method='interp1d', online=False).knee`, quirks included, so that results agree with
 * the reference to the last bit.
 */
import { checkNumber, checkOneOf, describe } from '../util/checks.js';

/** Options of {@link findKnee}; the defaults are the ones the noise estimate uses. */
export interface FindKneeOptions {
  /** `'concave'` finds knees, `'convex'` elbows. Default `'concave'`. */
  curve?: 'concave' | 'convex';
  /** Whether y increases or decreases with x. Default `'decreasing'` (accuracy falls as Q grows). */
  direction?: 'increasing' | 'decreasing';
  /** Sensitivity S: how many (normalized, mean-spaced) points below a local maximum before a knee is called. Default 1 (kneed's). */
  sensitivity?: number;
}

/**
 * Sum of an array the way NumPy's `add.reduce` does for float64 (pairwise summation with eight
 * accumulators in blocks of up to 128), so that the mean below rounds exactly as in kneed.
 */
function numpySum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let k = 0; k < 8; k++) r[k] = a[start + k];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let k = 0; k < 8; k++) r[k] += a[start + i + k];
    }
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpySum(a, start, n2) + numpySum(a, start + n2, n - n2);
}

/** `(a - min(a)) / (max(a) - min(a))` (NaN everywhere when `a` is constant, as in NumPy). */
function normalize(a: Float64Array): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (const v of a) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] - min) / (max - min);
  return out;
}

/** NumPy's `max` (NaN if any element is NaN). */
function nanMax(a: Float64Array): number {
  let m = -Infinity;
  for (const v of a) {
    if (Number.isNaN(v)) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/**
 * Indices where `compare(d[i], d[i-1]) && compare(d[i], d[i+1])`, the ends compared with
 * themselves (SciPy's `argrelextrema(d, comparator, order=1, mode='clip')`).
 */
function relativeExtrema(d: Float64Array, compare: (a: number, b: number) => boolean): number[] {
  const out: number[] = [];
  const n = d.length;
  for (let i = 0; i < n; i++) {
    const plus = d[Math.min(i + 1, n - 1)];
    const minus = d[Math.max(i - 1, 0)];
    if (compare(d[i], plus) && compare(d[i], minus)) out.push(i);
  }
  return out;
}

/**
 * Finds the knee (or elbow) of the curve `y(x)` with Kneedle, as kneed's
 * `KneeLocator(x, y, S, curve, direction, interp_method='interp1d', online=False).knee`:
 * normalize x and y to [0, 1], turn the curve into a concave increasing one (flip y for
 * `'decreasing'`, `max - y` for `'convex'`), take the difference curve `y - x`, its local maxima
 * and minima (non-strict, ends compared with themselves), the threshold `max - S * mean(diff(x))`
 * at each maximum, and return the x of the first maximum whose difference curve then drops below
 * its threshold before a local minimum (offline mode: the first knee found). Note that kneed flips
 * y but not x, so unevenly spaced x are read in flipped order; this is reproduced.
 *
 * @param x - x values (distinct; kneed's tests use ascending x)
 * @param y - y values, same length
 * @returns the knee's x value (an element of `x`), or `null` where kneed returns None (e.g. a
 *   flat curve, no local maximum, no drop below any threshold)
 * @example
 * findKnee([0, 0.25, 0.5, 0.75, 1], [0.9, 0.9, 0.88, 0.7, 0.2]); // 0.5
 * findKnee([0, 1, 2, 3], [0.5, 0.5, 0.5, 0.5]); // null (flat)
 */
export function findKnee(x: ArrayLike<number>, y: ArrayLike<number>, options: FindKneeOptions = {}): number | null {
  const curve = checkOneOf('curve', options.curve ?? 'concave', ['concave', 'convex'] as const);
  const direction = checkOneOf('direction', options.direction ?? 'decreasing', ['increasing', 'decreasing'] as const);
  const S = checkNumber('sensitivity', options.sensitivity ?? 1, 0);
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new TypeError(`x must be an array of numbers, got ${describe(x)}`);
  }
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') {
    throw new TypeError(`y must be an array of numbers, got ${describe(y)}`);
  }
  if (x.length !== y.length) {
    throw new RangeError(`x and y must have the same length, got ${x.length} and ${y.length}`);
  }
  const n = x.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    xs[i] = checkNumber(`x[${i}]`, x[i]);
    ys[i] = checkNumber(`y[${i}]`, y[i]);
    if (seen.has(xs[i])) throw new RangeError(`x values must be distinct, got ${xs[i]} twice`);
    seen.add(xs[i]);
  }
  if (n === 0) throw new RangeError('x and y must not be empty, got length 0');

  // Step 1 (interp1d evaluated at x gives y back) and step 2: normalize.
  const xNorm = normalize(xs);
  let yNorm = normalize(ys);

  // Step 3: make the curve concave increasing, then the difference curve.
  if (direction === 'decreasing') {
    if (curve === 'concave') {
      yNorm = yNorm.slice().reverse();
    } else {
      const m = nanMax(yNorm);
      yNorm = yNorm.map((v) => m - v);
    }
  } else if (curve === 'convex') {
    const m = nanMax(yNorm);
    yNorm = yNorm.map((v) => m - v).reverse();
  }
  const diffY = new Float64Array(n);
  for (let i = 0; i < n; i++) diffY[i] = yNorm[i] - xNorm[i];

  // Step 4: local maxima and minima (non-strict).
  const maxima = relativeExtrema(diffY, (a, b) => a >= b);
  const minima = new Set(relativeExtrema(diffY, (a, b) => a <= b));
  if (maxima.length === 0) return null;
  const maximaSet = new Set(maxima);

  // Step 5: thresholds, S times the mean spacing of normalized x below each maximum.
  const steps = new Float64Array(Math.max(n - 1, 0));
  for (let i = 0; i + 1 < n; i++) steps[i] = xNorm[i + 1] - xNorm[i];
  const meanStep = Math.abs(numpySum(steps, 0, steps.length) / steps.length);
  const thresholds = maxima.map((i) => diffY[i] - S * meanStep);

  // Step 6: walk the difference curve from the first maximum; first knee wins (offline).
  let maximaIndex = 0;
  let threshold = NaN;
  let thresholdIndex = -1;
  let active = true;
  for (let i = maxima[0]; i < n - 1; i++) {
    if (maximaSet.has(i)) {
      threshold = thresholds[maximaIndex];
      thresholdIndex = i;
      maximaIndex += 1;
      active = true;
    }
    if (minima.has(i)) {
      threshold = 0;
      active = false;
    }
    if (active && diffY[i + 1] < threshold) {
      const flipped = (curve === 'concave') === (direction === 'decreasing');
      return flipped ? xs[n - 1 - thresholdIndex] : xs[thresholdIndex];
    }
  }
  return null;
}
