/**
 * Lossy WebP encoding with libwebp (`WebPEncode`), set up as `cwebp -q Q` sets it up: libwebp's
 * defaults (`WebPConfigInit`: method 4, SNS 50, filter strength 60, sharpness 0, strong filter,
 * 4 segments, 1 pass, no autofilter, no sharp YUV) and the quality given.
 */
import { assertImage, type Image } from '../image/image.js';
import { checkInteger, describe } from '../util/checks.js';
import { MAX_WEBP_SIDE } from './container.js';
import { libwebp } from './load.js';

/** `cwebp -m`'s default: libwebp's `WebPConfigInit` method. */
export const WEBP_DEFAULT_METHOD = 4;

/** Options of {@link encodeWebp}. */
export interface EncodeWebpOptions {
  /**
   * Speed/size trade-off, integer 0 (fastest) .. 6 (smallest), as `cwebp -m`. Default 4, cwebp's
   * and libwebp's default.
   */
  method?: number;
}

/** Throws unless `quality` is an integer 0..100. */
export function checkWebpQuality(quality: unknown): number {
  return checkInteger('quality', quality, 0, 100);
}

/** Throws unless `options` is a valid {@link EncodeWebpOptions}; returns the method. */
export function checkEncodeWebpOptions(options: unknown): number {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  const { method } = options as EncodeWebpOptions;
  return checkInteger('options.method', method ?? WEBP_DEFAULT_METHOD, 0, 6);
}

/** Throws unless `image` is an {@link Image} WebP can hold (sides up to 16383). */
export function checkWebpImage(image: unknown, name = 'image'): asserts image is Image {
  assertImage(image, name);
  for (const side of ['width', 'height'] as const) {
    if (image[side] > MAX_WEBP_SIDE) {
      throw new RangeError(`${name}.${side} must be at most ${MAX_WEBP_SIDE} for WebP, got ${image[side]}`);
    }
  }
}

/**
 * RGBA pixels for libwebp: RGB copied, gray spread to R = G = B (WebP has no gray mode, and this
 * is what cwebp does with a gray PNG), alpha 255 (opaque, so the file has no alpha chunk).
 */
export function toRgba(data: Uint8Array, pixels: number, channels: 1 | 3): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(pixels * 4);
  for (let i = 0, j = 0; i < pixels; i++, j += 4) {
    if (channels === 3) {
      rgba[j] = data[3 * i];
      rgba[j + 1] = data[3 * i + 1];
      rgba[j + 2] = data[3 * i + 2];
    } else {
      rgba[j] = rgba[j + 1] = rgba[j + 2] = data[i];
    }
    rgba[j + 3] = 255;
  }
  return rgba;
}

/** Encodes validated arguments (shared with the round trips). */
export async function encodeChecked(data: Uint8Array, width: number, height: number, channels: 1 | 3, quality: number, method: number): Promise<Uint8Array> {
  const codec = await libwebp();
  const rgba = toRgba(data, width * height, channels);
  let encoded: ArrayBuffer;
  try {
    encoded = await codec.encode({ data: rgba, width, height }, { quality, method });
  } catch (error) {
    throw new Error(`WebP: libwebp failed to encode a ${width}x${height} image at quality ${quality} (${String(error)})`);
  }
  return new Uint8Array(encoded);
}

/**
 * Encodes an image as a lossy WebP file, byte for byte what `cwebp -q quality` (libwebp 1.2.4)
 * writes for the same pixels as a PNG (checked on every fixture, test/webp/). Gray images are
 * encoded as RGB with R = G = B, as cwebp does; the file is always a simple `RIFF/WEBP/VP8 `
 * file without alpha or metadata. libwebp loads on first use (see {@link prepareWebp}).
 *
 * @param image - RGB or gray image, sides 1..16383.
 * @param quality - Integer 0 (smallest) .. 100 (best), as `cwebp -q`.
 * @param options - `method` (default 4, as `cwebp -m`).
 * @returns The WebP file.
 * @example
 * const tile = { width: 32, height: 32, channels: 3 as const, data: new Uint8Array(32 * 32 * 3).fill(128) };
 * const file = await encodeWebp(tile, 75); // Uint8Array starting with "RIFF"
 */
export async function encodeWebp(image: Image, quality: number, options: EncodeWebpOptions = {}): Promise<Uint8Array> {
  checkWebpImage(image);
  checkWebpQuality(quality);
  const method = checkEncodeWebpOptions(options);
  return encodeChecked(image.data, image.width, image.height, image.channels, quality, method);
}
