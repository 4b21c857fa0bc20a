/**
 * The knee's spread: the knee of each bootstrap resample of the runs (over repeats and over
 * test items), its range and its support.
 */
import { checkInteger, checkNumber, describe } from '../util/checks.js';
import { createRandom } from '../util/random.js';
import { binomialSample } from './binomial.js';
import { runAccuracies, type LevelRunsLike } from './level-estimate.js';

/** A knee finder: `findAccuracyKnee` (src/noise/knee.ts) fits. Returns one of the points' Q, or null. */
export type KneeFinder<O> = (points: { Q: number; accuracy: number }[], options: O) => number | null;

/** Options of {@link resampleKnee}. */
export interface ResampleKneeOptions<O> {
  findKnee: KneeFinder<O>;
  /** Passed to `findKnee` on every curve. */
  kneeOptions: O;
  /** Resamples. Default 1000. */
  resamples?: number;
  /** Seed of the resampling. Default 0. */
  seed?: number;
  /** Share of the resampled knees the range must hold. Default 0.9. */
  coverage?: number;
}

/** Result of {@link resampleKnee}. */
export interface ResampledKnee {
  /** Index (into the levels sorted by Q) of the mean curve's knee, or -1. */
  kneeIndex: number;
  /** Per level (sorted by Q): how many resamples put the knee there. */
  counts: number[];
  /** Resamples that found a knee at all. */
  found: number;
  resamples: number;
  /** Indices [i, j] (levels sorted by Q) of the shortest run of levels holding >= coverage of the found knees; null when none was found. */
  rangeIndex: [number, number] | null;
  /** Fraction of all resamples whose knee is the mean curve's (0 without a mean knee). */
  support: number;
}

/**
 * The mean curve's knee and the knees of `resamples` bootstrap resamples of the runs. Each
 * resample draws, at every level, as many runs as it has, with replacement (bootstrap over
 * repeats), and each drawn run's accuracy afresh from its test items (binomial, as in
 * `bootstrapTestItems`); the resample's curve is the levels' means. The range is the shortest
 * contiguous run of grid levels (sorted by Q) holding at least `coverage` of the resamples that
 * found a knee (ties: the run holding the mean knee, then the most knees), widened to hold the
 * mean knee; `support` is the fraction of all resamples whose knee is the mean curve's.
 *
 * @param levels - levels with their runs, any order (sorted by Q inside)
 * @example
 * import { findAccuracyKnee } from 'helmholtz-ml';
 * const r = resampleKnee(levels, { findKnee: findAccuracyKnee, kneeOptions: {}, seed: 1 });
 * r.support; // e.g. 0.71
 */
export function resampleKnee<O>(levels: readonly LevelRunsLike[], options: ResampleKneeOptions<O>): ResampledKnee {
  if (typeof options?.findKnee !== 'function') throw new TypeError(`findKnee must be a function (points, options) => Q | null, got ${describe(options?.findKnee)}`);
  const resamples = checkInteger('resamples', options.resamples ?? 1000, 1, 1_000_000);
  const coverage = checkNumber('coverage', options.coverage ?? 0.9, 0, 1);
  const random = createRandom(checkNumber('seed', options.seed ?? 0));
  if (!Array.isArray(levels as unknown) || levels.length === 0) throw new RangeError(`levels must hold at least one level, got ${describe(levels)}`);
  const sorted = [...levels].sort((a, b) => a.Q - b.Q);
  const accs = sorted.map((l, i) => runAccuracies(l, `levels[${i}]`));
  const counts = sorted.map((l) => l.runs.map((r) => r.testCount ?? l.testCount));
  const indexOfQ = (Q: number | null): number => (Q === null ? -1 : sorted.findIndex((l) => l.Q === Q));
  const mean = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;
  const kneeIndex = indexOfQ(options.findKnee(sorted.map((l, i) => ({ Q: l.Q, accuracy: mean(accs[i]) })), options.kneeOptions));
  const hist = new Array<number>(sorted.length).fill(0);
  let found = 0;
  for (let r = 0; r < resamples; r++) {
    const points = sorted.map((l, i) => {
      const runs = accs[i];
      let sum = 0;
      for (let k = 0; k < runs.length; k++) {
        const pick = random.int(runs.length);
        const n = counts[i][pick];
        sum += binomialSample(n, runs[pick], random) / n;
      }
      return { Q: l.Q, accuracy: sum / runs.length };
    });
    const idx = indexOfQ(options.findKnee(points, options.kneeOptions));
    if (idx >= 0) {
      hist[idx]++;
      found++;
    }
  }
  let rangeIndex: [number, number] | null = null;
  if (found > 0) {
    const need = coverage * found - 1e-9;
    let bestScore: [number, number, number] | null = null; // [length, holds mean knee ? 0 : 1, -mass]
    for (let i = 0; i < hist.length; i++) {
      let mass = 0;
      for (let j = i; j < hist.length; j++) {
        mass += hist[j];
        if (mass >= need) {
          const score: [number, number, number] = [j - i, kneeIndex >= i && kneeIndex <= j ? 0 : 1, -mass];
          if (bestScore === null || score[0] < bestScore[0] || (score[0] === bestScore[0] && (score[1] < bestScore[1] || (score[1] === bestScore[1] && score[2] < bestScore[2])))) {
            bestScore = score;
            rangeIndex = [i, j];
          }
          break;
        }
      }
    }
    if (rangeIndex && kneeIndex >= 0) rangeIndex = [Math.min(rangeIndex[0], kneeIndex), Math.max(rangeIndex[1], kneeIndex)];
  } else if (kneeIndex >= 0) {
    rangeIndex = [kneeIndex, kneeIndex];
  }
  return { kneeIndex, counts: hist, found, resamples, rangeIndex, support: kneeIndex >= 0 ? hist[kneeIndex] / resamples : 0 };
}
