/**
 * The recommendation of issue 15: the strongest compression whose mean accuracy is not
 * significantly below the best level's (one-sided Welch test over repeats) and never more than
 * `tolerance` below it.
 */
import { checkNumber, describe } from '../util/checks.js';
import { formatP, signed } from './format.js';
import { levelEstimate, type LevelEstimate, type LevelRunsLike } from './level-estimate.js';
import { levelName, type LevelNaming } from './naming.js';
import type { Recommendation } from './types.js';
import { welchOneSided, type WelchResult } from './welch.js';

/** Options of {@link recommendLevelWelch}. */
export interface WelchRecommendOptions extends LevelNaming {
  /** Largest mean accuracy loss accepted even when not significant. Default 0.01. */
  tolerance?: number;
  /** Significance level of the one-sided test. Default 0.05. */
  alpha?: number;
}

/** The level with the best mean (ties: the stronger compression, larger Q). */
export function bestLevelIndex(estimates: readonly { mean: number }[], levels: readonly { Q: number }[]): number {
  let best = 0;
  for (let i = 1; i < estimates.length; i++) {
    if (estimates[i].mean > estimates[best].mean || (estimates[i].mean === estimates[best].mean && levels[i].Q > levels[best].Q)) best = i;
  }
  return best;
}

/** The sentence on where the variance came from, when it is not the repeats'. */
export function varianceNote(estimates: readonly LevelEstimate[], testCount: number): string {
  if (estimates.every((e) => e.source === 'binomial-single-run')) {
    return ` With one run per level the test uses the binomial standard error over the ${testCount} test items, which leaves out the training's own noise (more repeats measure it).`;
  }
  if (estimates.some((e) => e.source !== 'repeats')) {
    return ` Where a level has one run or its runs agree exactly, its variance is the binomial one over the ${testCount} test items.`;
  }
  return '';
}

function describeTest(test: WelchResult): string {
  const confidence = Math.round((1 - 2 * test.alpha) * 100);
  const df = Number.isFinite(test.df) ? `, df ${test.df.toFixed(1)}` : '';
  return `difference ${signed(test.difference)} (${confidence}% interval ${signed(test.ci[0])} to ${signed(test.ci[1])}, ${formatP(test.p)}${df})`;
}

/**
 * Recommends the strongest compression (largest Q) that (a) is not significantly below the
 * best level: one-sided Welch test ({@link welchOneSided}) of "candidate mean < best mean" at
 * `alpha` (default 5%), over the repeats, with the binomial variance over test items for a
 * level with one run or zero spread; and (b) is never more than `tolerance` below the best
 * mean. The reason names the test, the difference and its interval (two-sided 90% for alpha
 * 0.05: its upper end is the test's one-sided 95% bound), and says when the variance is the
 * binomial fallback.
 *
 * @param levels - levels with their runs (`LevelResult`s fit), at least one
 * @example
 * recommendLevelWelch([
 *   { level: 100, Q: 0, testCount: 1000, runs: [{ accuracy: 0.77 }, { accuracy: 0.76 }, { accuracy: 0.775 }] },
 *   { level: 20, Q: 0.8, testCount: 1000, runs: [{ accuracy: 0.765 }, { accuracy: 0.77 }, { accuracy: 0.76 }] },
 *   { level: 5, Q: 0.95, testCount: 1000, runs: [{ accuracy: 0.6 }, { accuracy: 0.62 }, { accuracy: 0.61 }] },
 * ]).level; // 20
 */
export function recommendLevelWelch(levels: readonly LevelRunsLike[], options: WelchRecommendOptions = {}): Recommendation {
  const tolerance = checkNumber('tolerance', options.tolerance ?? 0.01, 0, 1);
  const alpha = checkNumber('alpha', options.alpha ?? 0.05, 0, 0.5);
  if (!Array.isArray(levels) || levels.length === 0) throw new RangeError(`levels must hold at least one level, got ${describe(levels)}`);
  const estimates = levels.map((l, i) => {
    checkNumber(`levels[${i}].Q`, l?.Q, 0, 1);
    return levelEstimate(l);
  });
  const name = (level: number): string => levelName(level, options);
  const b = bestLevelIndex(estimates, levels);
  const best = levels[b];
  const bestText = `${name(best.level)}, mean ${estimates[b].mean.toFixed(3)}`;
  const order = levels.map((_, i) => i).filter((i) => levels[i].Q > best.Q).sort((i, j) => levels[j].Q - levels[i].Q);
  const tests = new Map<number, WelchResult>();
  let pick = -1;
  for (const i of order) {
    const test = welchOneSided(estimates[i], estimates[b], alpha);
    tests.set(i, test);
    if (!test.significant && -test.difference <= tolerance) {
      pick = i;
      break;
    }
  }
  const note = varianceNote(estimates, best.testCount);
  const percent = `${Math.round(alpha * 100)}%`;
  if (pick < 0) {
    const nearest = order.length > 0 ? order[order.length - 1] : -1;
    const why =
      nearest < 0
        ? 'no level compresses more strongly.'
        : `every stronger compression is significantly below it (one-sided Welch test at ${percent}) or more than the tolerance ${tolerance.toFixed(3)} below; the nearest, ${name(levels[nearest].level)}: ${describeTest(tests.get(nearest)!)}.`;
    return { level: best.level, Q: best.Q, reason: `${name(best.level)} (Q ${best.Q.toFixed(2)}) has the best mean accuracy (${estimates[b].mean.toFixed(3)}) and ${why}${note}` };
  }
  const chosen = levels[pick];
  const test = tests.get(pick)!;
  return {
    level: chosen.level,
    Q: chosen.Q,
    reason:
      `${name(chosen.level)} (Q ${chosen.Q.toFixed(2)}) is the strongest compression whose mean accuracy (${estimates[pick].mean.toFixed(3)}) is not significantly below the best (${bestText}): ` +
      `one-sided Welch test at ${percent}, ${describeTest(test)}, within the tolerance ${tolerance.toFixed(3)}.${note}`,
    test: { name: 'welch-one-sided', difference: test.difference, ci: test.ci, p: test.p },
  };
}
