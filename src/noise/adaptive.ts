/**
 * The adaptive strategy's planner: coarse levels first, then bisection where the accuracy curve
 * falls, then the knee's neighbours.
 */
import { checkInteger } from '../util/checks.js';

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
