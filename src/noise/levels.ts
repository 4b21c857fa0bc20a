/**
 * Compression levels: the quantization axis Q, level validation, and the adaptive strategy's
 * planner (coarse levels first, then bisection where the accuracy curve falls).
 */
import { checkInteger, checkNumber, describe } from '../util/checks.js';
import type { Modality } from './types.js';

/** The paper's JPEG qualities, the default image levels. */
export const DEFAULT_IMAGE_LEVELS: readonly number[] = Object.freeze([1, 5, 10, 15, 20, 25, 50, 75, 100]);

/** The paper's MP3 bitrates in kbps, the default audio levels. */
export const DEFAULT_AUDIO_LEVELS: readonly number[] = Object.freeze([8, 16, 32, 64, 96, 128, 160]);

/**
 * JPEG quality (1..100) to the paper's quantization in percent over 100: `Q = (100 - q) / 100`
 * (0 = best quality, 0.99 = quality 1).
 *
 * @example
 * qualityToQ(25); // 0.75
 */
export function qualityToQ(quality: number): number {
  checkInteger('quality', quality, 1, 100);
  return (100 - quality) / 100;
}

/**
 * Inverse of {@link qualityToQ}: the JPEG quality whose Q is nearest.
 *
 * @example
 * qToQuality(0.75); // 25
 */
export function qToQuality(Q: number): number {
  checkNumber('Q', Q, 0, 0.99);
  return Math.round(100 - 100 * Q);
}

/**
 * MP3 bitrate to Q, normalized over the swept bitrates: the highest has Q = 0, the lowest Q = 1.
 *
 * @example
 * bitrateToQ(8, [8, 16, 32, 64, 96, 128, 160]); // 1
 */
export function bitrateToQ(bitrate: number, bitrates: readonly number[]): number {
  checkNumber('bitrate', bitrate, 0);
  const hi = Math.max(...bitrates);
  const lo = Math.min(...bitrates);
  if (!(hi > lo)) throw new RangeError(`bitrates must hold at least two different values, got ${describe(bitrates)}`);
  return (hi - bitrate) / (hi - lo);
}

/**
 * Q of every level: `qualityToQ` for images, `bitrateToQ` over all levels for audio.
 *
 * @example
 * levelsToQ([100, 50, 1], 'image'); // [0, 0.5, 0.99]
 */
export function levelsToQ(levels: readonly number[], modality: Modality = 'image'): number[] {
  return modality === 'image' ? levels.map(qualityToQ) : levels.map((b) => bitrateToQ(b, levels));
}

/**
 * Checks a list of levels and returns them sorted by ascending Q (best quality first): an array
 * of at least 3 distinct integers, JPEG qualities in 1..100 for images, MP3 bitrates in 8..320
 * kbps for audio.
 *
 * @throws RangeError/TypeError naming `levels`, the bad value and what is allowed.
 * @example
 * validateLevels([1, 50, 100]); // [100, 50, 1]
 * validateLevels([1, 50]);      // RangeError: levels must hold at least 3 levels ...
 */
export function validateLevels(levels: unknown, modality: Modality = 'image'): number[] {
  if (!Array.isArray(levels)) {
    throw new TypeError(`levels must be an array of ${modality === 'image' ? 'JPEG qualities' : 'bitrates'}, got ${describe(levels)}`);
  }
  if (levels.length < 3) {
    throw new RangeError(`levels must hold at least 3 levels (a knee needs a curve), got ${levels.length}: ${JSON.stringify(levels)}`);
  }
  const [lo, hi, what] = modality === 'image' ? [1, 100, 'JPEG quality'] : [8, 320, 'MP3 bitrate in kbps'];
  const seen = new Set<number>();
  levels.forEach((level, i) => {
    try {
      checkInteger(`levels[${i}]`, level, lo, hi);
    } catch (error) {
      throw new RangeError(`${(error as Error).message} (each level is a ${what})`);
    }
    if (seen.has(level as number)) throw new RangeError(`levels must be distinct, got ${level} twice`);
    seen.add(level as number);
  });
  return [...(levels as number[])].sort((a, b) => b - a);
}

/** Options of the adaptive planner. */
export interface AdaptivePlanOptions {
  /** Levels trained first, spread evenly over the grid (ends included). Default `max(3, ceil(sqrt(n)) + 1)` capped at n. */
  coarseCount?: number;
  /**
   * An interval between two trained neighbours is bisected when their accuracies differ by more
   * than this. Default: `max(0.02, 0.1 x the range of the trained accuracies)`.
   */
  threshold?: number;
}

/**
 * The coarse levels the adaptive strategy trains first: `coarseCount` levels spread evenly (by
 * index) over the grid, both ends included.
 *
 * @param grid - levels sorted by ascending Q
 * @example
 * adaptiveCoarseLevels([100, 75, 50, 25, 20, 15, 10, 5, 1]); // [100, 25, 15, 1]
 */
export function adaptiveCoarseLevels(grid: readonly number[], coarseCount?: number): number[] {
  const n = grid.length;
  const m = Math.min(n, coarseCount === undefined ? Math.max(3, Math.ceil(Math.sqrt(n)) + 1) : checkInteger('coarseCount', coarseCount, 2, n));
  const picked = new Set<number>();
  for (let k = 0; k < m; k++) picked.add(Math.round((k * (n - 1)) / (m - 1)));
  return [...picked].sort((a, b) => a - b).map((i) => grid[i]);
}

/**
 * One bisection round of the adaptive strategy: for each pair of neighbouring trained levels
 * (in grid order) with untrained levels between them and accuracies that differ by more than
 * the threshold, the level halfway between them (by grid index). Empty when no interval
 * needs refining.
 *
 * @param grid - levels sorted by ascending Q
 * @param trained - accuracy of every trained level (levels not in the grid are ignored)
 * @example
 * const acc = new Map([[100, 0.8], [25, 0.79], [15, 0.6], [1, 0.2]]);
 * adaptiveBisectLevels([100, 75, 50, 25, 20, 15, 10, 5, 1], acc); // [20, 10]
 */
export function adaptiveBisectLevels(
  grid: readonly number[],
  trained: ReadonlyMap<number, number>,
  options: { threshold?: number } = {},
): number[] {
  const idx = grid.map((level, i) => (trained.has(level) ? i : -1)).filter((i) => i >= 0);
  const accs = idx.map((i) => trained.get(grid[i])!);
  const range = accs.length ? Math.max(...accs) - Math.min(...accs) : 0;
  const threshold = options.threshold ?? Math.max(0.02, 0.1 * range);
  const next: number[] = [];
  for (let k = 0; k + 1 < idx.length; k++) {
    const i = idx[k];
    const j = idx[k + 1];
    if (j - i < 2) continue;
    if (Math.abs(accs[k] - accs[k + 1]) > threshold) next.push(grid[Math.floor((i + j) / 2)]);
  }
  return next;
}

/**
 * Accuracy at every grid level, linearly interpolated in Q between trained levels (trained
 * levels keep their own). The adaptive strategy finds the knee on this full-grid curve, so
 * it is comparable with the grid strategy's.
 *
 * @param grid - levels sorted by ascending Q; the first and last must be trained
 * @example
 * interpolateGrid([100, 50, 1], [0, 0.5, 0.99], new Map([[100, 0.8], [1, 0.2]])); // [0.8, ~0.497, 0.2]
 */
export function interpolateGrid(grid: readonly number[], gridQ: readonly number[], trained: ReadonlyMap<number, number>): number[] {
  const known = grid.map((level, i) => (trained.has(level) ? i : -1)).filter((i) => i >= 0);
  if (known.length === 0) throw new RangeError('interpolateGrid needs at least one trained level');
  return grid.map((level, i) => {
    if (trained.has(level)) return trained.get(level)!;
    let k = 0;
    while (k < known.length && known[k] < i) k++;
    if (k === 0) return trained.get(grid[known[0]])!;
    if (k === known.length) return trained.get(grid[known[known.length - 1]])!;
    const a = known[k - 1];
    const b = known[k];
    const t = (gridQ[i] - gridQ[a]) / (gridQ[b] - gridQ[a]);
    return trained.get(grid[a])! + t * (trained.get(grid[b])! - trained.get(grid[a])!);
  });
}

/**
 * The adaptive strategy as a planner: given the grid and the accuracies trained so far, the
 * levels to train next, or `[]` when done. In order: the coarse levels
 * ({@link adaptiveCoarseLevels}); then bisection rounds ({@link adaptiveBisectLevels}) until
 * no interval whose ends differ by more than the threshold has untrained levels inside; then
 * the knee found on the interpolated grid (`kneeLevel`) and its two grid neighbours, so that
 * the knee and the points on either side are measured, not interpolated. Call it in a loop,
 * training what it returns (concurrently if you like), until it returns `[]`.
 *
 * @param grid - levels sorted by ascending Q
 * @param trained - accuracy of every trained level
 * @param kneeLevel - the knee's level on the grid from the trained levels (interpolating the rest), or null
 * @example
 * const trained = new Map<number, number>();
 * for (let next = adaptiveNextLevels(grid, trained, knee); next.length; next = adaptiveNextLevels(grid, trained, knee)) {
 *   for (const level of next) trained.set(level, await train(level));
 * }
 */
export function adaptiveNextLevels(
  grid: readonly number[],
  trained: ReadonlyMap<number, number>,
  kneeLevel: (trained: ReadonlyMap<number, number>) => number | null,
  options: AdaptivePlanOptions = {},
): number[] {
  const coarse = adaptiveCoarseLevels(grid, options.coarseCount).filter((l) => !trained.has(l));
  if (coarse.length > 0) return coarse;
  const bisect = adaptiveBisectLevels(grid, trained, { threshold: options.threshold }).filter((l) => !trained.has(l));
  if (bisect.length > 0) return bisect;
  const knee = kneeLevel(trained);
  if (knee === null) return [];
  const k = grid.indexOf(knee);
  return [k - 1, k, k + 1].filter((i) => i >= 0 && i < grid.length).map((i) => grid[i]).filter((l) => !trained.has(l));
}
