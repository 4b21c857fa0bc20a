/**
 * The knee of a measured accuracy-vs-quantization curve (N_approx): where accuracy starts to
 * fall as compression grows. Kneedle ({@link findKnee}, exact to kneed) on a well-posed axis.
 */
import { isotonicIncreasing } from '../stats/isotonic.js';
import { checkNumber, checkOneOf } from '../util/checks.js';
import { findKnee } from './kneedle.js';

/** How {@link findAccuracyKnee} reads the curve. */
export type KneeMethod = 'quality' | 'kneed-q';

/** Options of {@link findAccuracyKnee}. */
export interface AccuracyKneeOptions {
  /**
   * `'quality'` (default): Kneedle's native concave-increasing form on the quality axis `1 - Q`
   * (accuracy rises with quality, then plateaus), after collapsing a floor at the
   * strongest-compression end. `'kneed-q'`: kneed literally on accuracy vs Q with
   * `curve: 'concave', direction: 'decreasing'` (see docs/method.md for why it is not the default:
   * kneed flips y but not x, which misreads the uneven Q grid).
   */
  method?: KneeMethod;
  /** Kneedle sensitivity S. Default 1. */
  sensitivity?: number;
  /**
   * Accuracies within this of the lowest one, at the strongest-compression end, form a floor
   * (chance level): the points before the floor's last one (the last within the band before the
   * curve first rises halfway from its minimum to its maximum) are dropped, since Kneedle
   * assumes a concave curve and a floor would make the start of the floor the knee. Default 0.02.
   */
  floorBand?: number;
  /**
   * With `method: 'quality'`: read the knee off the monotone fit of the curve (accuracy
   * non-decreasing in quality, pool-adjacent-violators, {@link isotonicIncreasing}) instead of
   * the raw points. A level that comes out above a better-quality one pools with it into a
   * plateau, so a noisy bump at moderate compression does not become the knee. Default true;
   * false reads the raw points, as kneed does.
   */
  monotone?: boolean;
}

/**
 * Finds the knee of accuracy against quantization Q.
 *
 * With the default `method: 'quality'`: sort the points by quality `1 - Q` ascending, fit the
 * accuracies by a non-decreasing curve (`monotone`, default on), drop the
 * points of a floor at the strongest-compression end (see `floorBand`) but its last, then run Kneedle (`findKnee`, concave,
 * increasing) on accuracy vs `1 - Q`; the knee is the best-quality point where the plateau
 * begins, i.e. the strongest compression before accuracy falls.
 *
 * @param points - at least one `{ Q, accuracy }` with distinct Q in [0, 1]
 * @returns the knee's Q (one of the points'), or null (flat curve, no knee)
 * @example
 * findAccuracyKnee([
 *   { Q: 0, accuracy: 0.8 }, { Q: 0.5, accuracy: 0.8 }, { Q: 0.75, accuracy: 0.79 },
 *   { Q: 0.85, accuracy: 0.7 }, { Q: 0.95, accuracy: 0.4 }, { Q: 0.99, accuracy: 0.2 },
 * ]); // 0.75
 */
export function findAccuracyKnee(
  points: readonly { Q: number; accuracy: number }[],
  options: AccuracyKneeOptions = {},
): number | null {
  const method = checkOneOf('method', options.method ?? 'quality', ['quality', 'kneed-q'] as const);
  const sensitivity = checkNumber('sensitivity', options.sensitivity ?? 1, 0);
  const band = checkNumber('floorBand', options.floorBand ?? 0.02, 0);
  const monotone = options.monotone ?? true;
  if (typeof monotone !== 'boolean') throw new TypeError(`monotone must be true or false, got ${String(monotone)}`);
  if (points.length === 0) return null;
  points.forEach((p, i) => {
    checkNumber(`points[${i}].Q`, p.Q, 0, 1);
    checkNumber(`points[${i}].accuracy`, p.accuracy);
  });
  if (method === 'kneed-q') {
    const sorted = [...points].sort((a, b) => a.Q - b.Q);
    return findKnee(sorted.map((p) => p.Q), sorted.map((p) => p.accuracy), { curve: 'concave', direction: 'decreasing', sensitivity });
  }
  const byQuality = [...points].sort((a, b) => b.Q - a.Q);
  const raw = byQuality.map((p) => p.accuracy);
  const accs = monotone ? isotonicIncreasing(raw) : raw;
  const min = Math.min(...accs);
  const mid = (min + Math.max(...accs)) / 2;
  // The floor ends at the last point within the band before the curve first passes halfway up.
  let rise = accs.findIndex((a) => a > mid);
  if (rise < 0) rise = accs.length;
  let start = 0;
  for (let i = 0; i < rise; i++) if (accs[i] <= min + band) start = i;
  const kept = byQuality.slice(start);
  const knee = findKnee(kept.map((p) => 1 - p.Q), accs.slice(start), { curve: 'concave', direction: 'increasing', sensitivity });
  if (knee === null) return null;
  return kept.find((p) => 1 - p.Q === knee)!.Q;
}
