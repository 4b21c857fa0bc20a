/**
 * The default mini-batch size of `estimate`: scaled to the data so that small sets still train.
 */

/** Steps per epoch the default batch size aims at (at least), on the fitted training items. */
export const TARGET_STEPS_PER_EPOCH = 40;
/** The smallest default batch size. */
export const MIN_DEFAULT_BATCH_SIZE = 8;

/**
 * The default batch size for `trainCount` training items (before the validation split takes
 * `validationFraction` of them): `floor(fitted / 40)`, at least 8 and at most `cap` (the paper's
 * 128 for images, 50 for audio), so that an epoch has at least 40 steps whenever the data has
 * 320 fitted items or more. With the paper's fixed 128, 1,200 images gave 9 steps per epoch and
 * 10 epochs left the classifier at twice chance, still rising.
 *
 * @example
 * defaultBatchSize(1200, 0.1, 128);  // 27 (40 steps per epoch)
 * defaultBatchSize(60000, 0.1, 128); // 128 (the paper's)
 * defaultBatchSize(100, 0.1, 128);   // 8
 */
export function defaultBatchSize(trainCount: number, validationFraction: number, cap: number): number {
  const fitted = Math.floor(trainCount * (1 - validationFraction));
  return Math.max(MIN_DEFAULT_BATCH_SIZE, Math.min(cap, Math.floor(fitted / TARGET_STEPS_PER_EPOCH)));
}
