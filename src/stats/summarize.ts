/**
 * The statistics of a sweep in one call: what the sweep's summary fills in from the per-level
 * runs (intervals, knee with range, recommendation, learned check, convergence, content bits).
 */
import { findAccuracyKnee, type AccuracyKneeOptions, type KneeMethod } from '../noise/knee.js';
import { checkInteger, checkNumber, describe } from '../util/checks.js';
import { binomialStandardError } from './binomial.js';
import { contentBitsAt, type LevelBitsLike } from './content.js';
import { convergenceSummary, epochsToConvergeOf, type ConvergenceRunLike } from './convergence.js';
import { analyzeKnee, type KneeAnalysis } from './knee-analysis.js';
import type { KneeFinder } from './knee-range.js';
import { learnedCheck, type LearnedRunLike } from './learned.js';
import { levelAccuracyInterval, levelEstimate } from './level-estimate.js';
import { levelName, type LevelNaming } from './naming.js';
import { recommendLevelWelch } from './recommend.js';
import type { ContentBits, Convergence, Interval, IntervalMethod, Knee, KneeReason, LearnedCheck, MeanWithCi, Recommendation } from './types.js';

/** One run as {@link summarizeStatistics} reads it: the sweep's `RunResult` fits. */
export interface StatsRunInput extends LearnedRunLike, ConvergenceRunLike {
  accuracy: number;
  testCount?: number;
}

/** One level as {@link summarizeStatistics} reads it: the sweep's `LevelResult` fits (its filled fields are ignored). */
export interface StatsLevelInput {
  level: number;
  Q: number;
  runs: readonly StatsRunInput[];
  testCount: number;
  /** Needed for `content` (absent: `content` is null). */
  bits?: LevelBitsLike;
}

/** The fields {@link summarizeStatistics} fills in on every level. */
export interface StatsLevelFields {
  /** Mean over runs. */
  accuracy: number;
  /** 95% interval of that mean. */
  accuracyCi: [number, number];
  ciMethod: IntervalMethod;
  epochsToConverge: MeanWithCi | null;
}

/** Options of {@link summarizeStatistics}. */
export interface SummarizeStatisticsOptions<O = AccuracyKneeOptions> extends LevelNaming {
  /** Number of classes (chance = 1 / classes). Required, >= 2. */
  classes: number;
  /** Recommendation tolerance: the most mean accuracy it may lose. Default 0.01. */
  tolerance?: number;
  /** Significance level of every test (recommendation, flat curve, above chance). Default 0.05. */
  alpha?: number;
  /** Confidence of the intervals. Default 0.95. */
  confidence?: number;
  /** Seed of every resampling (knee bootstrap, single-run intervals). Default 0. */
  seed?: number;
  /** Knee bootstrap resamples. Default 1000. */
  resamples?: number;
  /** Kneedle sensitivity (default finder). Default 1. */
  sensitivity?: number;
  /** Knee method of the default finder. Default 'quality'. */
  kneeMethod?: KneeMethod;
  /** The default finder reads the knee off the monotone fit of the curve (see `findAccuracyKnee`). Default true. */
  monotone?: boolean;
  /** The knee finder. Default `findAccuracyKnee` with `{ method, sensitivity, floorBand }`. */
  findKnee?: KneeFinder<O>;
  /** Options of a custom `findKnee` (the default finder builds its own). */
  kneeOptions?: O;
  /** Bits per pixel of the source for the paper formula (16 RGB, 8 gray). Default 16. */
  sourceBits?: number;
}

/** Result of {@link summarizeStatistics}. */
export interface StatisticsSummary<L> {
  /** The levels sorted by ascending Q, with accuracy, accuracyCi, ciMethod and epochsToConverge filled in. */
  levels: (Omit<L, keyof StatsLevelFields> & StatsLevelFields)[];
  knee: Knee | null;
  kneeReason: KneeReason | null;
  recommendation: Recommendation;
  learned: LearnedCheck;
  convergence: Convergence | null;
  content: ContentBits | null;
  /** Runs per level (the smallest count when they differ). */
  repeats: number;
}

/**
 * Everything statistical about a sweep, from its per-level runs:
 * - per level: `accuracy` (mean over runs), `accuracyCi` (95% t interval over repeats; with one
 *   run or identical runs a seeded bootstrap over test items, `ciMethod` says which) and
 *   `epochsToConverge` (mean and interval);
 * - `learned` ({@link learnedCheck}); `knee` with `range` and `support`, or `kneeReason`
 *   ({@link analyzeKnee}: bootstrap over repeats and test items, `resamples` curves);
 * - `recommendation` ({@link recommendLevelWelch}); when the classifier did not learn, no
 *   compression is recommended: the best-quality level, with the remedy as its reason;
 * - `convergence` at the recommended level against the best-quality level
 *   ({@link convergenceSummary}); `content` bits at the knee ({@link contentBitsAt}).
 * The default knee finder is `findAccuracyKnee` with `floorBand = max(0.02, 2 binomial standard
 * errors of the lowest mean accuracy)`, as the sweep's summary has used. Seeded: same input, same
 * output.
 *
 * @param levels - the finished levels with their runs (at least one, each with at least one run)
 * @example
 * const stats = summarizeStatistics(levels, { classes: 10, seed: 1 });
 * stats.knee;               // { level: 20, Q: 0.8, range: [15, 25], support: 0.7 } or null
 * stats.kneeReason;         // null, or 'flat' | 'not-learned' | 'still-improving' | 'too-few-levels' | 'no-knee'
 * stats.recommendation.reason; // 'JPEG quality 20 (Q 0.80) is the strongest compression ... one-sided Welch test ...'
 */
export function summarizeStatistics<L extends StatsLevelInput, O = AccuracyKneeOptions>(
  levels: readonly L[],
  options: SummarizeStatisticsOptions<O>,
): StatisticsSummary<L> {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object { classes, ... }, got ${describe(options)}`);
  if (!Array.isArray(levels) || levels.length === 0) throw new RangeError(`levels must hold at least one finished level, got ${describe(levels)}`);
  const classes = checkInteger('classes', options.classes, 2, Number.MAX_SAFE_INTEGER);
  const alpha = checkNumber('alpha', options.alpha ?? 0.05, 0, 0.5);
  const confidence = checkNumber('confidence', options.confidence ?? 0.95, 0, 1);
  const seed = checkNumber('seed', options.seed ?? 0);
  const naming: LevelNaming = { modality: options.modality, codec: options.codec };
  const sorted = [...levels].sort((a, b) => a.Q - b.Q);
  const seen = new Set<number>();
  sorted.forEach((l, i) => {
    checkNumber(`levels[${i}].Q`, l?.Q, 0, 1);
    if (seen.has(l.level)) throw new RangeError(`levels must hold each level once, got level ${l.level} twice`);
    seen.add(l.level);
  });
  const filled = sorted.map((l, i) => {
    const est = levelEstimate(l);
    const ci: Interval = levelAccuracyInterval(l, { confidence, seed: seed + 1 + i });
    return { ...l, accuracy: est.mean, accuracyCi: [ci.low, ci.high] as [number, number], ciMethod: ci.method, epochsToConverge: epochsToConvergeOf(l) };
  });
  const learned = learnedCheck(sorted, { classes, alpha, ...naming });

  let analysis: KneeAnalysis;
  const common = { learned, alpha, seed, resamples: options.resamples ?? 1000 };
  if (options.findKnee) {
    analysis = analyzeKnee(sorted, { ...common, findKnee: options.findKnee, kneeOptions: options.kneeOptions as O });
  } else {
    const lowest = filled.reduce((m, l) => (l.accuracy < m.accuracy ? l : m), filled[0]);
    const floorBand = Math.max(0.02, 2 * binomialStandardError(lowest.accuracy, lowest.testCount));
    analysis = analyzeKnee(sorted, {
      ...common,
      findKnee: findAccuracyKnee,
      kneeOptions: { method: options.kneeMethod ?? 'quality', sensitivity: options.sensitivity ?? 1, floorBand, monotone: options.monotone ?? true },
    });
  }

  const reference = sorted[0];
  let recommendation: Recommendation;
  if (learned.learned) {
    recommendation = recommendLevelWelch(sorted, { tolerance: options.tolerance, alpha, ...naming });
  } else {
    recommendation = {
      level: reference.level,
      Q: reference.Q,
      reason: `No compression is recommended (${levelName(reference.level, naming)} is the best quality tried): ${learned.remedy ?? 'the classifier did not learn.'}`,
    };
  }
  const recLevel = sorted.find((l) => l.level === recommendation.level)!;
  const convergence = learned.learned ? convergenceSummary(recLevel, reference, naming) : null;
  const kneeLevel = analysis.knee ? sorted.find((l) => l.level === analysis.knee!.level) : undefined;
  const content = kneeLevel?.bits ? contentBitsAt({ level: kneeLevel.level, bits: kneeLevel.bits }, { ...naming, sourceBits: options.sourceBits }) : null;
  return {
    levels: filled,
    knee: analysis.knee,
    kneeReason: analysis.kneeReason,
    recommendation,
    learned,
    convergence,
    content,
    repeats: Math.min(...sorted.map((l) => l.runs.length)),
  };
}
