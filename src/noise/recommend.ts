/**
 * The recommendation for accuracies without their runs: one measured accuracy per level.
 */
import { recommendLevelWelch } from '../stats/recommend.js';
import type { LevelNaming } from '../stats/naming.js';
import { checkInteger, checkNumber, describe } from '../util/checks.js';
import type { Recommendation } from './types.js';

/** A trained level as the recommendation sees it: one accuracy, measured on `testCount` items. */
export interface RecommendPoint {
  level: number;
  Q: number;
  accuracy: number;
  /** Test-set size: the accuracy's variance is the binomial one over these items. */
  testCount: number;
}

/** Options of {@link recommendLevel}: those of `recommendLevelWelch` (`modality`, `codec` name the levels). */
export interface RecommendOptions extends LevelNaming {
  /** Most accuracy the recommendation may give up against the best level. Default 0.01. */
  tolerance?: number;
  /** Significance level of the one-sided test. Default 0.05. */
  alpha?: number;
}

/**
 * The recommendation of a sweep, {@link recommendLevelWelch}, for levels given as one accuracy
 * each (e.g. a results table of another tool): each point is a level with one run, whose
 * variance is the binomial one over its `testCount` test items. The strongest compression that
 * is not significantly below the best level (one-sided test at `alpha`) and never more than
 * `tolerance` below it. With repeated runs per level, call `recommendLevelWelch` on the levels
 * and their runs instead: it measures the training's own noise.
 *
 * @param levels - trained levels (at least one)
 * @example
 * recommendLevel([
 *   { level: 100, Q: 0, accuracy: 0.81, testCount: 1000 },
 *   { level: 25, Q: 0.75, accuracy: 0.805, testCount: 1000 },
 *   { level: 5, Q: 0.95, accuracy: 0.6, testCount: 1000 },
 * ]).level; // 25
 */
export function recommendLevel(levels: readonly RecommendPoint[], options: RecommendOptions = {}): Recommendation {
  if (!Array.isArray(levels) || levels.length === 0) throw new RangeError(`levels must hold at least one trained level, got ${describe(levels)}`);
  const asRuns = levels.map((p, i) => {
    // Named as the points are (`recommendLevelWelch` checks Q under the same name).
    checkNumber(`levels[${i}].accuracy`, p.accuracy, 0, 1);
    checkInteger(`levels[${i}].testCount`, p.testCount, 1, Number.MAX_SAFE_INTEGER);
    return { level: p.level, Q: p.Q, testCount: p.testCount, runs: [{ accuracy: p.accuracy }] };
  });
  return recommendLevelWelch(asRuns, options);
}
