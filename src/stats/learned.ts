/**
 * The learned check: did the classifier learn at all, so that its curve can be read?
 */
import { checkInteger, checkNumber, describe } from '../util/checks.js';
import { binomialStandardError } from './binomial.js';
import { formatP } from './format.js';
import { levelEstimate, type LevelRunsLike, type RunLike } from './level-estimate.js';
import { levelName, type LevelNaming } from './naming.js';
import { normalCdf } from './normal.js';
import { bestLevelIndex } from './recommend.js';
import { tSurvival } from './student-t.js';
import type { LearnedCheck } from './types.js';

/** A run as the learned check sees it: a `RunResult` fits. */
export interface LearnedRunLike extends RunLike {
  /** Validation accuracy still rising at the last epoch. */
  stillImproving?: boolean;
}

/** A level as the learned check sees it: a `LevelResult` fits. */
export interface LearnedLevelLike extends LevelRunsLike {
  runs: readonly LearnedRunLike[];
}

/** Options of {@link learnedCheck}. */
export interface LearnedCheckOptions extends LevelNaming {
  /** Number of classes (chance is 1 / classes). Required, >= 2. */
  classes: number;
  /** Significance level of "above chance". Default 0.05. */
  alpha?: number;
}

/**
 * Checks that the classifier learned: the best level's mean accuracy is significantly above
 * chance (`1 / classes`; one-sided t test whose variance is the repeats' plus the test items'
 * binomial one, `levelEstimate` with `includeTestItems`), or every one of its runs is (one-sided
 * binomial test on the run's test items at `alpha / runs`: each of those trainings learned, even
 * where they differ too much for the t test), and its runs were not still improving at their
 * last epoch (at least half of them: `stillImproving`). When not learned, `remedy` says so in
 * plain words and names what to do: train to convergence (`epochs: 'auto'`, CLI `--epochs auto`)
 * or a wider model (`modelOptions.widthMultiplier`, CLI `--width`). When some runs of the best
 * level are above chance by themselves and the others are not, `remedy` says that not every
 * training learned (a failed start repeats with its seed at every level) and names more repeats
 * or another seed.
 *
 * @example
 * learnedCheck([{ level: 100, Q: 0, testCount: 480, runs: [{ accuracy: 0.13, stillImproving: false }] }], { classes: 8 });
 * // { learned: false, chance: 0.125, bestLevel: 100, pAboveChance: 0.36, aboveChance: false, stillImproving: false, remedy: 'The classifier did not learn: ...' }
 */
export function learnedCheck(levels: readonly LearnedLevelLike[], options: LearnedCheckOptions): LearnedCheck {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object { classes }, got ${describe(options)}`);
  const classes = checkInteger('classes', options.classes, 2, Number.MAX_SAFE_INTEGER);
  const alpha = checkNumber('alpha', options.alpha ?? 0.05, 0, 0.5);
  if (!Array.isArray(levels as unknown) || levels.length === 0) throw new RangeError(`levels must hold at least one level, got ${describe(levels)}`);
  const chance = 1 / classes;
  const estimates = levels.map((l) => levelEstimate(l, { includeTestItems: true }));
  const b = bestLevelIndex(estimates, levels);
  const best = levels[b];
  const e = estimates[b];
  const se = Math.sqrt(e.varianceOfMean);
  const pAboveChance = se === 0 ? (e.mean > chance ? 0 : 1) : tSurvival((e.mean - chance) / se, e.df);
  const improving = best.runs.filter((r) => r.stillImproving === true).length;
  const stillImproving = improving > 0 && improving >= best.runs.length / 2;
  // Each training that is by itself far above chance learned, however much the trainings differ
  // (two runs at 0.44 and 0.70 against a chance of 0.17 give a t test with one degree of freedom
  // no power): one-sided binomial test of each run on its test items, Bonferroni over the runs.
  const runAbove = best.runs.map((r) => {
    const z = (r.accuracy - chance) / binomialStandardError(chance, r.testCount ?? best.testCount);
    return 1 - normalCdf(z) < alpha / best.runs.length;
  });
  const everyRunAbove = best.runs.length > 0 && runAbove.every(Boolean);
  const someRunsAbove = runAbove.some(Boolean) && !everyRunAbove;
  const above = pAboveChance < alpha || everyRunAbove;
  const learned = above && !stillImproving;
  const name = levelName(best.level, options);
  const runs = best.runs.length === 1 ? 'its single run' : `${improving} of its ${best.runs.length} runs`;
  let remedy: string | undefined;
  if (!above && someRunsAbove) {
    // Some trainings learned, the others stayed near chance: failed trainings (a start that never
    // left chance repeats with its seed at every level), not an effect of the level.
    const accs = best.runs.map((r) => r.accuracy);
    const learnedAccs = accs.filter((_, i) => runAbove[i]);
    const failed = accs.filter((_, i) => !runAbove[i]);
    remedy =
      `Not every training learned: at the best level, ${name}, ${learnedAccs.length} of its ${accs.length} runs did (accuracy ${learnedAccs.map((a) => a.toFixed(3)).join(', ')}) and ${failed.length} stayed near chance ` +
      `(${failed.map((a) => a.toFixed(3)).join(', ')}; chance ${chance.toFixed(3)} for ${classes} classes), so the mean and its interval (one-sided ${formatP(pAboveChance)} above chance) mix learned and failed trainings and no knee or recommendation is read. ` +
      `A training that never leaves chance usually failed to start (its seed gives the same start at every level): train more repeats or another seed (CLI --repeats, --seed), a wider model (CLI --width), or epochs: 'auto' (CLI --epochs auto).`;
  } else if (!above) {
    remedy =
      `The classifier did not learn: its best level, ${name} (mean accuracy ${e.mean.toFixed(3)}), is not significantly above chance (${chance.toFixed(3)} for ${classes} classes; one-sided ${formatP(pAboveChance)}), ` +
      `so no knee or recommendation can be read from these accuracies. Train to convergence (epochs: 'auto', CLI --epochs auto) or use a wider model (modelOptions: { widthMultiplier: 1 }, CLI --width 1)` +
      (stillImproving ? `; ${runs} were still improving at the last epoch.` : '.');
  } else if (stillImproving) {
    remedy =
      `The classifier had not finished learning: at its best level, ${name}, ${runs} ${improving === 1 ? 'was' : 'were'} still improving at the last epoch, ` +
      `so the curve measures how fast each level trains, not how much it can reach. Train to convergence (epochs: 'auto', CLI --epochs auto), or use a wider model (CLI --width) that learns in the budget.`;
  }
  return { learned, chance, bestLevel: best.level, pAboveChance, aboveChance: above, stillImproving, ...(remedy === undefined ? {} : { remedy }) };
}
