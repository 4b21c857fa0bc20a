/**
 * The recommendation: the strongest compression that costs no accuracy, within the noise of
 * the accuracy measurement itself.
 */
import { binomialStandardError } from '../stats/binomial.js';
import { checkInteger, checkNumber } from '../util/checks.js';
import type { Modality, Recommendation } from './types.js';


/** A trained level as the recommendation sees it. */
export interface RecommendPoint {
  level: number;
  Q: number;
  accuracy: number;
  /** Test-set size, for the standard error of the accuracy. */
  testCount: number;
}

/** Options of {@link recommendLevel}. */
export interface RecommendOptions {
  /** Smallest accuracy loss tolerated. Default 0.01. */
  tolerance?: number;
  /** Names the levels in the reason: JPEG quality or kbps. Default 'image'. */
  modality?: Modality;
  /** Names a level in the reason (default: from `modality`), e.g. `(l) => \`WebP quality ${l}\``. */
  name?: (level: number) => string;
}

const fmt = (v: number, digits = 3): string => v.toFixed(digits);

/**
 * Recommends the strongest compression (largest Q) whose accuracy stays within
 * `margin = max(tolerance, 2 x standard error of the best accuracy)` of the best level's,
 * where the standard error is binomial, `sqrt(best (1 - best) / testCount)`: a drop smaller
 * than that cannot be told from the measurement's own noise.
 *
 * @param levels - trained levels (at least one)
 * @example
 * recommendLevel([
 *   { level: 100, Q: 0, accuracy: 0.81, testCount: 1000 },
 *   { level: 25, Q: 0.75, accuracy: 0.8, testCount: 1000 },
 *   { level: 5, Q: 0.95, accuracy: 0.6, testCount: 1000 },
 * ]); // { level: 25, Q: 0.75, reason: 'JPEG quality 25 (Q = 0.75) is the strongest compression ...' }
 */
export function recommendLevel(levels: readonly RecommendPoint[], options: RecommendOptions = {}): Recommendation {
  const tolerance = checkNumber('tolerance', options.tolerance ?? 0.01, 0, 1);
  const modality = options.modality ?? 'image';
  if (levels.length === 0) throw new RangeError('levels must hold at least one trained level, got 0');
  levels.forEach((p, i) => {
    checkNumber(`levels[${i}].accuracy`, p.accuracy);
    checkNumber(`levels[${i}].Q`, p.Q, 0, 1);
    checkInteger(`levels[${i}].testCount`, p.testCount, 1, Number.MAX_SAFE_INTEGER);
  });
  const name = options.name ?? ((level: number): string => (modality === 'image' ? `JPEG quality ${level}` : `${level} kbps`));
  let best = levels[0];
  for (const p of levels) if (p.accuracy > best.accuracy || (p.accuracy === best.accuracy && p.Q > best.Q)) best = p;
  const se = binomialStandardError(best.accuracy, best.testCount);
  const margin = Math.max(tolerance, 2 * se);
  let pick = best;
  for (const p of levels) if (p.accuracy >= best.accuracy - margin && p.Q > pick.Q) pick = p;
  const marginWhy = margin === tolerance ? `the tolerance ${fmt(tolerance)}` : `2 standard errors of the best accuracy (${fmt(2 * se)})`;
  const reason =
    pick === best
      ? `${name(pick.level)} (Q = ${fmt(pick.Q, 2)}) has the best accuracy (${fmt(best.accuracy)}) and no stronger compression stays within ${fmt(margin)} of it (${marginWhy}).`
      : `${name(pick.level)} (Q = ${fmt(pick.Q, 2)}) is the strongest compression whose accuracy (${fmt(pick.accuracy)}) stays within ${fmt(margin)} (${marginWhy}) of the best (${fmt(best.accuracy)} at ${name(best.level)}).`;
  return { level: pick.level, Q: pick.Q, reason };
}
