import { checkInteger, describe } from '../util/checks.js';

/**
 * An 8-bit image: interleaved, row-major, RGB (`channels: 3`) or grayscale (`channels: 1`).
 *
 * @example
 * const img: Image = { width: 2, height: 1, channels: 3, data: new Uint8Array([255, 0, 0, 0, 0, 255]) };
 */
export interface Image {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** Largest width or height JPEG allows, and so the library. */
export const MAX_IMAGE_SIDE = 65500;

/**
 * Throws a `TypeError`/`RangeError` unless `image` is a well-formed {@link Image}.
 *
 * @example
 * assertImage({ width: 1, height: 1, channels: 1, data: new Uint8Array(1) }); // ok
 */
export function assertImage(image: unknown, name = 'image'): asserts image is Image {
  if (typeof image !== 'object' || image === null) {
    throw new TypeError(`${name} must be an object { width, height, channels, data }, got ${describe(image)}`);
  }
  const im = image as Partial<Image>;
  checkInteger(`${name}.width`, im.width, 1, MAX_IMAGE_SIDE);
  checkInteger(`${name}.height`, im.height, 1, MAX_IMAGE_SIDE);
  if (im.channels !== 1 && im.channels !== 3) {
    throw new RangeError(`${name}.channels must be 1 or 3, got ${describe(im.channels)}`);
  }
  if (!(im.data instanceof Uint8Array)) {
    throw new TypeError(`${name}.data must be a Uint8Array, got ${describe(im.data)}`);
  }
  const expected = im.width! * im.height! * im.channels;
  if (im.data.length !== expected) {
    throw new RangeError(
      `${name}.data length must equal width*height*channels = ${im.width}*${im.height}*${im.channels} = ${expected}, got ${im.data.length}`,
    );
  }
}

/**
 * Many images of one size in one contiguous N x H x W x C `Uint8Array`, so batches move to
 * tensors and workers without copies.
 *
 * @example
 * const batch: ImageBatch = { count: 2, width: 32, height: 32, channels: 3, data: new Uint8Array(2 * 32 * 32 * 3) };
 */
export interface ImageBatch {
  count: number;
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}
