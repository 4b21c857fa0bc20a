/**
 * The result shapes of `src/stats` (the statistics of a sweep, see docs/statistics.md). They
 * repeat the field names of the sweep's result types (src/noise/types.ts), so that the sweep's
 * values fit them structurally; nothing here imports the sweep.
 *
 * @example
 * import type { Interval } from 'helmholtz-ml';
 * const show = (i: Interval) => `${i.low.toFixed(3)}..${i.high.toFixed(3)} (${i.method})`;
 */

/** How an accuracy interval was made: t over repeats, or a bootstrap over test items (one run). */
export type IntervalMethod = 't' | 'bootstrap-test-items';

/** A confidence interval of a mean accuracy. */
export interface Interval {
  low: number;
  high: number;
  method: IntervalMethod;
  /** E.g. 0.95. */
  confidence: number;
}

/** A mean with its 95% interval (e.g. epochs to converge). */
export interface MeanWithCi {
  mean: number;
  ci: [number, number];
}

/** The knee of the mean curve and its spread over resamples. */
export interface Knee {
  level: number;
  Q: number;
  /** Levels [low, high] (numerically; the lower level is the stronger compression) spanning >= 90% of resampled knees. */
  range: [number, number];
  /** Fraction of resamples whose knee is `level`. */
  support: number;
}

/** Why there is no knee. */
export type KneeReason = 'flat' | 'not-learned' | 'still-improving' | 'too-few-levels' | 'no-knee';

/** Bits at the knee: the paper's arithmetic, the real tables, and the measured files. */
export interface ContentBits {
  paper: number;
  tables?: number;
  measured: number;
  unit: 'bits/pixel' | 'bits/s';
  /** The paper's formula clamps at this level (its figure is not a measurement). */
  paperSaturated: boolean;
}

/** The one-sided Welch test behind a recommendation. */
export interface RecommendationTest {
  name: 'welch-one-sided';
  /** Candidate mean minus best mean. */
  difference: number;
  /** Two-sided (1 - 2 alpha) interval of the difference: its upper end is the one-sided bound of the test. */
  ci: [number, number];
  /** One-sided p-value of "the candidate is below the best". */
  p: number;
}

/** The strongest compression that costs no accuracy, and why. */
export interface Recommendation {
  level: number;
  Q: number;
  reason: string;
  test?: RecommendationTest;
}

/** Epochs and training seconds to converge at one level. */
export interface LevelConvergence {
  level: number;
  epochs: MeanWithCi;
  seconds: MeanWithCi;
}

/** Convergence at the recommended level against the best-quality level (the paper's second claim). */
export interface Convergence {
  recommended: LevelConvergence;
  reference: LevelConvergence;
  /** 1 - recommended epochs / reference epochs (negative: more training). */
  savedFraction: number;
  text: string;
}

/** Did the classifier learn at all? */
export interface LearnedCheck {
  learned: boolean;
  /** 1 / classes. */
  chance: number;
  /** The level of the best mean accuracy. */
  bestLevel: number;
  /** One-sided p-value of "the best level is above chance" (the t test over the repeats). */
  pAboveChance: number;
  /** Above chance: by that t test, or every run of the best level by its own binomial test. */
  aboveChance: boolean;
  /** The best level's runs were (mostly) still improving at their last epoch. */
  stillImproving: boolean;
  /** What to do when not learned, in plain words. */
  remedy?: string;
}
