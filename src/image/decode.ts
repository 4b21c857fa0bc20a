/**
 * JPEG decoding, the public entry points: a marker parser (decode/markers.ts, after
 * libjpeg-turbo 2.1.5's jdmarker.c) and Huffman scan decoders (decode/sequential.ts, jdhuff.c;
 * decode/progressive.ts, jdphuff.c; their shared MCU layout and restart handling in
 * decode/scan.ts), with block smoothing of progressive files (decode/smoothing.ts, jdcoefct.c),
 * yield {@link JpegCoefficients}; then the libjpeg-exact inverse path of `inverse.ts`. Files with 1 or
 * 3 components and any sampling factors libjpeg accepts decode to exactly Pillow 9.4's pixels,
 * including progressive files that libjpeg finishes with block smoothing. Everything
 * else is an `Error` naming the reason. No third-party decoder is involved.
 *
 * Damaged entropy-coded data is handled as libjpeg handles it (invalid codes decode as zero,
 * data cut by a marker leaves the rest of the segment gray, restart markers resynchronise), so
 * such files give Pillow's pixels; `strict: true` turns those warnings into errors. Damaged
 * headers, truncated files and non-JPEG bytes always throw an `Error`.
 */
import type { Image } from './image.js';
import { inverseJpegInto } from './inverse.js';
import { JpegError } from './decode/frame.js';
import { parseJpeg, type DecodedJpeg } from './decode/markers.js';
import { describe } from '../util/checks.js';

export type { DecodedJpeg } from './decode/markers.js';

const DEFAULT_MAX_PIXELS = 2 ** 28;

/** Options of {@link decodeJpeg}. */
export interface DecodeJpegOptions {
  /**
   * Throw on damage that libjpeg only warns about (invalid Huffman codes, data cut short by a
   * marker, bad restart markers, stray bytes between markers, a non-sequential scan header).
   * Default `false`: decode such files as libjpeg (and so Pillow) does.
   */
  strict?: boolean;
  /**
   * Largest image (width * height, in pixels) to decode; larger headers throw before any
   * allocation. Default 2^28 (268 megapixels; Pillow's decompression-bomb error starts at 179).
   */
  maxPixels?: number;
}

/**
 * Parses a JPEG file into its quantized DCT coefficients (baseline, extended sequential and
 * progressive Huffman, 8-bit, 1 or 3 components), the structure `inverseJpeg` turns into pixels.
 *
 * For progressive files whose first AC coefficients remain approximate, the coefficients are
 * returned after libjpeg's block smoothing (what its IDCT receives).
 *
 * @throws Error with the reason for non-JPEG, truncated, damaged or unsupported files.
 *
 * @example
 * const { coefficients } = decodeJpegCoefficients(bytes);
 * console.log(coefficients.components[0].quantTable); // the luma table of the file
 */
export function decodeJpegCoefficients(bytes: Uint8Array, options: DecodeJpegOptions = {}): DecodedJpeg {
  checkBytes(bytes);
  checkOptions(options);
  try {
    return parseJpeg(bytes, options.strict === true, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  } catch (e) {
    throw rethrow(e);
  }
}

function checkBytes(bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`bytes must be a Uint8Array, got ${describe(bytes)}`);
}

function checkOptions(options: unknown): asserts options is DecodeJpegOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object, got ${describe(options)}`);
  const o = options as DecodeJpegOptions;
  if (o.strict !== undefined && typeof o.strict !== 'boolean') throw new TypeError(`options.strict must be a boolean, got ${describe(o.strict)}`);
  if (o.maxPixels !== undefined && (typeof o.maxPixels !== 'number' || !(o.maxPixels >= 1))) {
    throw new RangeError(`options.maxPixels must be a number >= 1, got ${describe(o.maxPixels)}`);
  }
}

function rethrow(e: unknown): Error {
  if (e instanceof JpegError) return new Error(e.message);
  if (e instanceof Error && e.message.startsWith('truncated JPEG')) return e;
  if (e instanceof Error && e.message.startsWith('invalid JPEG')) return e;
  if (e instanceof RangeError) return new Error(`JPEG could not be decoded: ${e.message}`);
  if (e instanceof Error) return e;
  return new Error(`JPEG could not be decoded: ${String(e)}`);
}

/**
 * Decodes a JPEG file to an {@link Image} (grayscale for 1 component, RGB for 3).
 *
 * Baseline, extended-sequential and progressive Huffman files, 8-bit, with 1 or 3 components
 * and any sampling factors libjpeg supports, give exactly the pixels Pillow 9.4 (libjpeg-turbo
 * 2.1.5, default settings: islow IDCT, fancy upsampling, block smoothing of progressive files
 * whose low frequencies remain approximate) gives. Arithmetic-coded, lossless, hierarchical,
 * 12-bit, 2- and 4-component (CMYK, YCCK) files throw.
 *
 * @param bytes the whole file.
 * @param options `strict` (default false), `maxPixels` (default 2^28).
 * @throws Error with a reason for empty, non-JPEG, truncated, corrupt or unsupported data.
 *   It never hangs and never returns an image whose data disagrees with its size.
 *
 * @example
 * import { readFileSync } from 'node:fs';
 * const image = decodeJpeg(readFileSync('photo.jpg'));
 * console.log(image.width, image.height, image.channels);
 */
export function decodeJpeg(bytes: Uint8Array, options: DecodeJpegOptions = {}): Image {
  checkBytes(bytes);
  checkOptions(options);
  let decoded: DecodedJpeg;
  try {
    decoded = parseJpeg(bytes, options.strict === true, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  } catch (e) {
    throw rethrow(e);
  }
  const c = decoded.coefficients;
  const channels = c.components.length === 1 ? 1 : 3;
  let data: Uint8Array;
  try {
    data = new Uint8Array(c.width * c.height * channels);
  } catch (e) {
    throw rethrow(e);
  }
  try {
    inverseJpegInto(c, data, 0, decoded.colorTransform);
  } catch (e) {
    throw rethrow(e);
  }
  return { width: c.width, height: c.height, channels, data };
}
