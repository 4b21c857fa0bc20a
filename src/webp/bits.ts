/**
 * Measured size of WebP files in bits per pixel, with and without the container's headers.
 */
import type { Image, ImageBatch } from '../image/image.js';
import { readWebpContainer } from './container.js';
import { checkEncodeWebpOptions, checkWebpImage, checkWebpQuality, encodeChecked, type EncodeWebpOptions } from './encode.js';
import { checkWebpBatch } from './roundtrip.js';

/** Result of {@link webpBitsPerPixel}. */
export interface WebpBitsPerPixel {
  /** Bits per pixel of the whole file (8 * file bytes / pixels). */
  total: number;
  /**
   * Bits per pixel of the image chunk's payload alone (the VP8 frame: its 10-byte frame header,
   * the partition of modes and probabilities, and the coefficient tokens): the file without its
   * 20 bytes of RIFF and chunk headers (and pad byte).
   */
  frame: number;
}

/**
 * Bits per pixel of a WebP file, read from its header (no decoding).
 *
 * @param bytes - A WebP file.
 * @example
 * webpFileBitsPerPixel(await encodeWebp(tile, 75)); // { total, frame }, total - frame = 160 / pixels
 */
export function webpFileBitsPerPixel(bytes: Uint8Array): WebpBitsPerPixel {
  const { width, height, frameBytes } = readWebpContainer(bytes);
  const pixels = width * height;
  return { total: (8 * bytes.length) / pixels, frame: (8 * frameBytes) / pixels };
}

/**
 * Measured bits per pixel of the WebP file `encodeWebp(image, quality, options)`.
 *
 * @param image - RGB or gray image.
 * @param quality - Integer 0..100.
 * @param options - `method` as in {@link encodeWebp}.
 * @example
 * const { total, frame } = await webpBitsPerPixel(tile, 50);
 */
export async function webpBitsPerPixel(image: Image, quality: number, options: EncodeWebpOptions = {}): Promise<WebpBitsPerPixel> {
  checkWebpImage(image);
  checkWebpQuality(quality);
  const method = checkEncodeWebpOptions(options);
  return webpFileBitsPerPixel(await encodeChecked(image.data, image.width, image.height, image.channels, quality, method));
}

/**
 * Mean over a batch's images of {@link webpBitsPerPixel} (each image is its own file).
 *
 * @param batch - At least one image.
 * @param quality - Integer 0..100.
 * @param options - `method` as in {@link encodeWebp}.
 * @example
 * const { frame } = await webpBatchBitsPerPixel(testImages, 50); // the measured figure of a level
 */
export async function webpBatchBitsPerPixel(batch: ImageBatch, quality: number, options: EncodeWebpOptions = {}): Promise<WebpBitsPerPixel> {
  checkWebpBatch(batch);
  if (batch.count < 1) throw new RangeError(`batch.count must be at least 1 to measure bits, got ${batch.count}`);
  checkWebpQuality(quality);
  const method = checkEncodeWebpOptions(options);
  const { count, width, height, channels } = batch;
  const size = width * height * channels;
  let total = 0;
  let frame = 0;
  for (let i = 0; i < count; i++) {
    const file = await encodeChecked(batch.data.subarray(i * size, (i + 1) * size), width, height, channels, quality, method);
    const bits = webpFileBitsPerPixel(file);
    total += bits.total;
    frame += bits.frame;
  }
  return { total: total / count, frame: frame / count };
}
