/**
 * The knee with its range, or the reason there is none.
 */
import { checkNumber, describe } from '../util/checks.js';
import { levelEstimate, type LevelRunsLike } from './level-estimate.js';
import { resampleKnee, type ResampledKnee, type ResampleKneeOptions } from './knee-range.js';
import { bestLevelIndex } from './recommend.js';
import type { Knee, KneeReason, LearnedCheck } from './types.js';
import { welchOneSided } from './welch.js';

/** Options of {@link analyzeKnee}. */
export interface AnalyzeKneeOptions<O> extends ResampleKneeOptions<O> {
  /** The learned check ({@link learnedCheck}); a sweep that did not learn has no knee. */
  learned?: Pick<LearnedCheck, 'learned' | 'aboveChance'>;
  /** Significance level of the flat test. Default 0.05. */
  alpha?: number;
}

/** Result of {@link analyzeKnee}. */
export interface KneeAnalysis {
  knee: Knee | null;
  /** Why `knee` is null (null when there is a knee). */
  kneeReason: KneeReason | null;
  /** The resampling behind the knee (absent when it was not needed). */
  resampled?: ResampledKnee;
}

/**
 * The knee of the mean curve with its range and support ({@link resampleKnee}), or null with a
 * reason, checked in this order:
 * `'too-few-levels'` (fewer than 3 levels); `'not-learned'` (the best level is not above chance)
 * or `'still-improving'` (above chance, but still improving at the last epoch), from `learned`;
 * `'flat'` when the worst level's mean is not significantly below the best's (one-sided Welch at
 * `alpha`, each level's variance the repeats' plus the test items' binomial one, see
 * `levelEstimate`'s `includeTestItems`): the spread across all levels is within its own noise; `'no-knee'` when the finder
 * finds none on the mean curve; and `'flat'` again when the knee lies at the strongest-compression
 * end of the tested range and that level is not significantly below the best (nothing falls off
 * within the range: "no knee in the tested range").
 *
 * @example
 * import { findAccuracyKnee } from 'helmholtz-ml';
 * const { knee, kneeReason } = analyzeKnee(levels, { findKnee: findAccuracyKnee, kneeOptions: {}, seed: 1 });
 * knee; // { level: 20, Q: 0.8, range: [15, 25], support: 0.74 } or null (kneeReason says why)
 */
export function analyzeKnee<O>(levels: readonly LevelRunsLike[], options: AnalyzeKneeOptions<O>): KneeAnalysis {
  if (!Array.isArray(levels)) throw new TypeError(`levels must be an array of levels, got ${describe(levels)}`);
  const alpha = checkNumber('alpha', options.alpha ?? 0.05, 0, 0.5);
  if (levels.length < 3) return { knee: null, kneeReason: 'too-few-levels' };
  if (options.learned && !options.learned.learned) {
    return { knee: null, kneeReason: options.learned.aboveChance ? 'still-improving' : 'not-learned' };
  }
  const sorted = [...levels].sort((a, b) => a.Q - b.Q);
  const estimates = sorted.map((l) => levelEstimate(l, { includeTestItems: true }));
  const b = bestLevelIndex(estimates, sorted);
  let w = 0;
  for (let i = 1; i < estimates.length; i++) if (estimates[i].mean < estimates[w].mean) w = i;
  if (!welchOneSided(estimates[w], estimates[b], alpha).significant) return { knee: null, kneeReason: 'flat' };
  const resampled = resampleKnee(sorted, options);
  const k = resampled.kneeIndex;
  if (k < 0) return { knee: null, kneeReason: 'no-knee', resampled };
  if (k === sorted.length - 1 && !welchOneSided(estimates[k], estimates[b], alpha).significant) {
    return { knee: null, kneeReason: 'flat', resampled };
  }
  const [i, j] = resampled.rangeIndex ?? [k, k];
  const a = sorted[i].level;
  const c = sorted[j].level;
  return {
    knee: { level: sorted[k].level, Q: sorted[k].Q, range: [Math.min(a, c), Math.max(a, c)], support: resampled.support },
    kneeReason: null,
    resampled,
  };
}
