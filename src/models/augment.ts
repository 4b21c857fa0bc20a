/**
 * Seeded batch augmentation matching Keras 2.1.5's
 * `ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.1, horizontal_flip=True)`.
 */

/** Options for {@link augmentBatch}. Defaults are the original protocol's. */
export interface AugmentOptions {
  /** Largest horizontal shift as a fraction of the width (default 0.1). */
  widthShift?: number;
  /** Largest vertical shift as a fraction of the height (default 0.1). */
  heightShift?: number;
  /** Flip each image left-right with probability 0.5 (default true). */
  horizontalFlip?: boolean;
}
