/**
 * Seeded batch augmentation matching Keras 2.1.5's
 * `ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.1, horizontal_flip=True)`:
 * each image is shifted by a uniform random fraction of its height and width (nearest-neighbour
 * sampling and nearest fill, as Keras's `apply_transform(order=0, fill_mode='nearest')`), then
 * flipped left-right with probability 0.5.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '../util/checks.js';
import { createRandom, type Random } from '../util/random.js';

/** Options for {@link augmentBatch}. Defaults are the original protocol's. */
export interface AugmentOptions {
  /** Largest horizontal shift as a fraction of the width, in [0, 1] (default 0.1). */
  widthShift?: number;
  /** Largest vertical shift as a fraction of the height, in [0, 1] (default 0.1). */
  heightShift?: number;
  /** Flip each image left-right with probability 0.5 (default true). */
  horizontalFlip?: boolean;
}

/**
 * Checks `options` and fills in the defaults.
 *
 * @example
 * resolveAugmentOptions({ horizontalFlip: false }); // { widthShift: 0.1, heightShift: 0.1, horizontalFlip: false }
 */
export function resolveAugmentOptions(options: AugmentOptions = {}): Required<AugmentOptions> {
  return {
    widthShift: checkNumber('widthShift', options.widthShift ?? 0.1, 0, 1),
    heightShift: checkNumber('heightShift', options.heightShift ?? 0.1, 0, 1),
    horizontalFlip: options.horizontalFlip ?? true,
  };
}

/**
 * The per-image projective transforms ([N, 8], tfjs's `image.transform` convention: output
 * (col, row) reads input (a0 col + a1 row + a2, b0 col + b1 row + b2)) for one batch. For each
 * image draws, in Keras's order, the vertical shift, the horizontal shift, then the flip.
 *
 * @example
 * const t = augmentTransforms(2, 32, 32, createRandom(0));
 * // t[2] = horizontal offset of image 0 (W - 1 + dx when flipped), t[5] = its vertical shift
 */
export function augmentTransforms(
  count: number,
  height: number,
  width: number,
  random: Random,
  options: AugmentOptions = {},
): Float32Array {
  const o = resolveAugmentOptions(options);
  const out = new Float32Array(count * 8);
  for (let i = 0; i < count; i++) {
    const dy = o.heightShift > 0 ? random.uniform(-o.heightShift, o.heightShift) * height : 0;
    const dx = o.widthShift > 0 ? random.uniform(-o.widthShift, o.widthShift) * width : 0;
    const flip = o.horizontalFlip && random.next() < 0.5;
    out.set(flip ? [-1, 0, width - 1 + dx, 0, 1, dy, 0, 0] : [1, 0, dx, 0, 1, dy, 0, 0], i * 8);
  }
  return out;
}

/**
 * Returns a randomly shifted and flipped copy of `images` ([N, H, W, C]); `images` is left as
 * it is and the caller owns both. `random` is a seeded generator (shared across batches, so a
 * training run draws a fresh transform per image and batch) or a seed.
 *
 * @example
 * const rand = createRandom(0);
 * const augmented = augmentBatch(batch, {}, rand); // 10% shifts + flips, as the original
 * augmented.dispose();
 */
export function augmentBatch(images: tf.Tensor4D, options: AugmentOptions = {}, random: Random | number = 0): tf.Tensor4D {
  if (!(images instanceof tf.Tensor) || images.rank !== 4) {
    throw new TypeError(`images must be a rank-4 tensor [N, H, W, C], got ${images instanceof tf.Tensor ? `rank ${(images as tf.Tensor).rank}` : typeof images}`);
  }
  const rand = typeof random === 'number' ? createRandom(random) : random;
  const [n, h, w, c] = images.shape;
  const transforms = augmentTransforms(n, h, w, rand, options);
  // One gather of whole pixels: tfjs-backend-cpu 4.22's Transform kernel only fills the first
  // image of a batch, and a gather runs on every backend without reading the batch back.
  const source = new Int32Array(n * h * w);
  for (let b = 0; b < n; b++) {
    const [a0, , a2, , , b2] = transforms.subarray(b * 8, b * 8 + 6);
    for (let y = 0; y < h; y++) {
      const sy = Math.min(h - 1, Math.max(0, Math.round(y + b2)));
      const rowOut = (b * h + y) * w;
      const rowIn = (b * h + sy) * w;
      for (let x = 0; x < w; x++) {
        const sx = Math.min(w - 1, Math.max(0, Math.round(a0 * x + a2)));
        source[rowOut + x] = rowIn + sx;
      }
    }
  }
  return tf.tidy(() => {
    const pixels = tf.reshape(images, [n * h * w, c]);
    const index = tf.tensor1d(source, 'int32');
    return tf.reshape(tf.gather(pixels, index), [n, h, w, c]) as tf.Tensor4D;
  });
}
