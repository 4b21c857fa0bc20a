/** Small views on an {@link ImageBatch} shared by the image codecs. */
import type { Image, ImageBatch } from '../image/image.js';

/**
 * Image `i` of a batch, as a view (no copy).
 *
 * @example
 * const first = imageAt(batch, 0);
 */
export function imageAt(batch: ImageBatch, i: number): Image {
  const size = batch.width * batch.height * batch.channels;
  return { width: batch.width, height: batch.height, channels: batch.channels, data: batch.data.subarray(i * size, (i + 1) * size) };
}

/**
 * The images at `indices`, copied into a new batch.
 *
 * @example
 * const firstTwo = selectImages(batch, [0, 1]);
 */
export function selectImages(batch: ImageBatch, indices: readonly number[]): ImageBatch {
  const size = batch.width * batch.height * batch.channels;
  const data = new Uint8Array(indices.length * size);
  indices.forEach((index, k) => data.set(batch.data.subarray(index * size, (index + 1) * size), k * size));
  return { count: indices.length, width: batch.width, height: batch.height, channels: batch.channels, data };
}
