/**
 * A seeded, stratified train/test split of item indices, for any labeled collection (images,
 * audio clips): each class keeps its proportion in both halves, and every class with at least
 * two items lands in both.
 *
 * @example
 * const { train, test } = stratifiedSplit([0, 0, 1, 1, 1, 1], { testFraction: 0.25, seed: 1 });
 */
import { checkInteger, checkNumber } from '../util/checks.js';
import { createRandom } from '../util/random.js';

export interface StratifiedSplitOptions {
  /** Fraction of each class that goes to the test set, strictly between 0 and 1. Default 0.2. */
  testFraction?: number;
  /** Seeds the shuffle. Default 0. */
  seed?: number;
}

/**
 * Returns sorted index lists `{ train, test }` into `labels`.
 *
 * @example
 * stratifiedSplit([0, 1, 0, 1], { testFraction: 0.5 }); // { train: [..2 indices], test: [..2 indices] }
 */
export function stratifiedSplit(labels: readonly number[], options: StratifiedSplitOptions = {}): { train: number[]; test: number[] } {
  const testFraction = checkNumber('testFraction', options.testFraction ?? 0.2, 0, 1);
  if (testFraction === 0 || testFraction === 1) {
    throw new RangeError(`testFraction must be a finite number strictly between 0 and 1, got ${testFraction}`);
  }
  const seed = checkInteger('seed', options.seed ?? 0, 0, 2 ** 32 - 1);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const list = byClass.get(label);
    if (list) list.push(i);
    else byClass.set(label, [i]);
  });
  const random = createRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = byClass.get(label)!;
    random.shuffle(idx);
    let nTest = Math.round(idx.length * testFraction);
    if (idx.length >= 2) nTest = Math.min(Math.max(nTest, 1), idx.length - 1);
    test.push(...idx.slice(0, nTest));
    train.push(...idx.slice(nTest));
  }
  train.sort((a, b) => a - b);
  test.sort((a, b) => a - b);
  return { train, test };
}
