/**
 * The shapes every Node loader returns, and the two helpers that turn one labeled set into the
 * train/test pair `estimateNoise` wants: a stratified seeded split and a seeded subset.
 */
import type { ImageDataset, LabeledImages } from '../../noise/types.js';
import { checkInteger } from '../../util/checks.js';
import { createRandom } from '../../util/random.js';
import { stratifiedSplit } from '../../data/split.js';

/** A train/test pair (what `estimateNoise({ data })` takes) with the class names where the source has them. */
export interface NamedImageDataset extends ImageDataset {
  /** `classNames[label]` names the class (CIFAR-10, image folders); absent for IDX files. */
  classNames?: string[];
}

/** Options for {@link splitTrainTest}. */
export interface SplitOptions {
  /** Fraction of each class that goes to the test set, in (0, 1). Default 0.2. */
  testFraction?: number;
  /** Seeds the shuffle. Default 0. */
  seed?: number;
}

/**
 * Splits one labeled set into train and test, class by class (stratified), after a seeded
 * shuffle, so each class keeps its proportion in both halves. Every class with at least two
 * images lands in both sets.
 *
 * @example
 * const { train, test } = splitTrainTest(await loadImageFolder('photos'), { testFraction: 0.25, seed: 1 });
 */
export function splitTrainTest(set: LabeledImages, options: SplitOptions = {}): { train: LabeledImages; test: LabeledImages } {
  checkSameLength(set);
  const { train, test } = stratifiedSplit(set.labels, options);
  return { train: pick(set, train), test: pick(set, test) };
}

/**
 * A seeded random subset of `count` images (all of them when `count` is at least the set's
 * size), keeping the original order, e.g. to train on 3,000 of Fashion-MNIST's 60,000.
 *
 * @example
 * const small = subsetImages(fashion.train, 3000, 0);
 */
export function subsetImages(set: LabeledImages, count: number, seed = 0): LabeledImages {
  checkInteger('count', count, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('seed', seed, 0, 2 ** 32 - 1);
  checkSameLength(set);
  if (count >= set.images.length) return set;
  const idx = set.images.map((_, i) => i);
  createRandom(seed).shuffle(idx);
  const chosen = idx.slice(0, count).sort((a, b) => a - b);
  return pick(set, chosen);
}

function pick(set: LabeledImages, idx: number[]): LabeledImages {
  return { images: idx.map((i) => set.images[i]), labels: idx.map((i) => set.labels[i]) };
}

function checkSameLength(set: LabeledImages): void {
  if (set.images.length !== set.labels.length) {
    throw new RangeError(`images and labels must have the same length, got ${set.images.length} images and ${set.labels.length} labels`);
  }
}
