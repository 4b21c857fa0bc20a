/**
 * WebP decoding with libwebp (`WebPDecodeRGBA`, fancy upsampling), the pixels `dwebp` writes.
 * Bad bytes are named before libwebp sees them (see `readWebpContainer`).
 */
import type { Image } from '../image/image.js';
import { describe } from '../util/checks.js';
import { readWebpContainer } from './container.js';
import { libwebp } from './load.js';

/** Options of {@link decodeWebp}. */
export interface DecodeWebpOptions {
  /**
   * 3 (default): RGB. 1: gray, for files of gray images (R = G = B before encoding): the green
   * channel, which is what Pillow's `convert('L')` makes of dwebp's RGB there (see docs/webp.md);
   * throws if a pixel is not gray.
   */
  channels?: 1 | 3;
}

/**
 * Takes the gray value out of the RGB a gray image decodes to. WebP stores gray as U = V = 128,
 * and libwebp's YUV->RGB rounding then gives R = B and G = R or R - 1 (1 in 64 luma values):
 * green is Pillow's ITU-R 601 luma of that pixel, so it is taken. Throws on a colour pixel.
 */
function grayFromRgba(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const r = rgba[4 * i];
    const g = rgba[4 * i + 1];
    const b = rgba[4 * i + 2];
    if (r !== b || r - g > 1 || r - g < 0) {
      throw new Error(
        `decodeWebp: options.channels is 1 but the file is not gray: pixel (${i % width}, ${Math.floor(i / width)}) is RGB ${r}, ${g}, ${b}`,
      );
    }
    out[i] = g;
  }
  return out;
}

function rgbFromRgba(rgba: Uint8ClampedArray | Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    out[3 * i] = rgba[4 * i];
    out[3 * i + 1] = rgba[4 * i + 1];
    out[3 * i + 2] = rgba[4 * i + 2];
  }
  return out;
}

/** Decodes after the arguments were checked (shared with the round trips). */
export async function decodeChecked(bytes: Uint8Array, channels: 1 | 3): Promise<Image> {
  const container = readWebpContainer(bytes);
  if (container.animated) throw new Error('decodeWebp: animated WebP files are not supported');
  const codec = await libwebp();
  const copy = bytes.slice().buffer;
  let decoded: { data: Uint8ClampedArray; width: number; height: number };
  try {
    decoded = await codec.decode(copy);
  } catch {
    throw new Error(`bytes are not a valid WebP file: libwebp could not decode its ${JSON.stringify(container.format)} frame (corrupt or truncated data)`);
  }
  const { width, height, data } = decoded;
  if (width !== container.width || height !== container.height || data.length !== width * height * 4) {
    throw new Error(`bytes are not a valid WebP file: decoded ${width}x${height}, the header says ${container.width}x${container.height}`);
  }
  for (let i = 3; i < data.length; i += 4) {
    if (data[i] !== 255) {
      const p = (i - 3) / 4;
      throw new Error(`decodeWebp: the file has transparent pixels (alpha ${data[i]} at (${p % width}, ${Math.floor(p / width)})); Image has no alpha`);
    }
  }
  const out = channels === 1 ? grayFromRgba(data, width, height) : rgbFromRgba(data, width * height);
  return { width, height, channels, data: out };
}

/** Throws unless `options` is a valid {@link DecodeWebpOptions}; returns the channel count. */
export function checkDecodeWebpOptions(options: unknown): 1 | 3 {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  const channels = (options as DecodeWebpOptions).channels ?? 3;
  if (channels !== 1 && channels !== 3) {
    throw new RangeError(`options.channels must be 1 or 3, got ${describe(channels)}`);
  }
  return channels;
}

/**
 * Decodes a WebP file (lossy or lossless, still, opaque) to an RGB image, pixel for pixel what
 * `dwebp` writes (checked on every fixture, test/webp/), or to a gray one with `channels: 1`.
 * Throws an `Error` naming the reason for bytes that are not a WebP file, truncated, corrupt,
 * animated or transparent.
 *
 * @param bytes - The file.
 * @param options - `channels` (default 3).
 * @example
 * const image = await decodeWebp(await encodeWebp(tile, 75)); // { width: 32, height: 32, channels: 3, data }
 */
export async function decodeWebp(bytes: Uint8Array, options: DecodeWebpOptions = {}): Promise<Image> {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`bytes must be a Uint8Array, got ${describe(bytes)}`);
  }
  return decodeChecked(bytes, checkDecodeWebpOptions(options));
}
