/**
 * What a model sees after WebP compression: encode with libwebp, decode with libwebp, for one
 * image or a whole {@link ImageBatch}.
 */
import type { Image, ImageBatch } from '../image/image.js';
import { assertImageBatch } from '../image/roundtrip.js';
import { MAX_WEBP_SIDE } from './container.js';
import { decodeChecked } from './decode.js';
import { checkEncodeWebpOptions, checkWebpImage, checkWebpQuality, encodeChecked, type EncodeWebpOptions } from './encode.js';

/** Throws unless `batch` is an {@link ImageBatch} whose images WebP can hold. */
export function checkWebpBatch(batch: unknown, name = 'batch'): asserts batch is ImageBatch {
  assertImageBatch(batch, name);
  for (const side of ['width', 'height'] as const) {
    if (batch[side] > MAX_WEBP_SIDE) {
      throw new RangeError(`${name}.${side} must be at most ${MAX_WEBP_SIDE} for WebP, got ${batch[side]}`);
    }
  }
}

/**
 * Compresses an image with lossy WebP at `quality` and decodes it again: the same pixels as
 * `cwebp -q quality` then `dwebp` (gray images come back gray, see {@link decodeWebp}).
 *
 * @param image - RGB or gray image, sides 1..16383.
 * @param quality - Integer 0..100.
 * @param options - `method` (default 4), as {@link encodeWebp}.
 * @example
 * const seen = await webpRoundTrip(tile, 50); // same width, height and channels as tile
 */
export async function webpRoundTrip(image: Image, quality: number, options: EncodeWebpOptions = {}): Promise<Image> {
  checkWebpImage(image);
  checkWebpQuality(quality);
  const method = checkEncodeWebpOptions(options);
  const file = await encodeChecked(image.data, image.width, image.height, image.channels, quality, method);
  return decodeChecked(file, image.channels);
}

/**
 * {@link webpRoundTrip} of every image of a batch; returns a new batch of the same shape.
 *
 * @param batch - N x H x W x C images (N may be 0).
 * @param quality - Integer 0..100.
 * @param options - `method` (default 4).
 * @example
 * const seen = await webpRoundTripBatch({ count: 2, width: 16, height: 16, channels: 1, data: new Uint8Array(512) }, 30);
 */
export async function webpRoundTripBatch(batch: ImageBatch, quality: number, options: EncodeWebpOptions = {}): Promise<ImageBatch> {
  checkWebpBatch(batch);
  checkWebpQuality(quality);
  const method = checkEncodeWebpOptions(options);
  const { count, width, height, channels } = batch;
  const size = width * height * channels;
  const out = new Uint8Array(batch.data.length);
  for (let i = 0; i < count; i++) {
    const file = await encodeChecked(batch.data.subarray(i * size, (i + 1) * size), width, height, channels, quality, method);
    out.set((await decodeChecked(file, channels)).data, i * size);
  }
  return { count, width, height, channels, data: out };
}
