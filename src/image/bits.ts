/**
 * Bit accounting of JPEG quantization: the paper's arithmetic (how many of the 16 bits per pixel
 * of 4:2:0 YCbCr a quality removes) and the measured size of real files.
 */
import { checkInteger, checkNumber, checkOneOf, describe } from '../util/checks.js';
import { writeJpeg, type EncodeJpegOptions } from './encode.js';
import { forwardJpeg } from './forward.js';
import type { Image } from './image.js';
import { cachedTables, jpegQualityScaling } from './quantization.js';

/**
 * The sum the paper uses for the Annex K tables at quality 50 ("K.1 plus twice K.2"). The real
 * tables sum to 3688 + 2 * 5505 = 14698; see {@link bitsPerPixel}'s `'tables'` method.
 */
export const PAPER_TABLE_SUM = 12487;

/** How {@link bitsPerPixel} counts the bits a quality removes. */
export type BitsMethod = 'paper' | 'tables';

/** Options of {@link bitsPerPixel}. */
export interface BitsPerPixelOptions {
  /**
   * `'paper'` (default): log2(12487 * S(q) / 100), the paper's arithmetic, with IJG's scaling
   * S(q) = floor(5000 / q) below 50, else 200 - 2q. `'tables'`: log2(sum(luma) + 2 * sum(chroma))
   * of the real IJG tables of quality q, scaled, rounded and clamped to 1..255 as libjpeg does.
   */
  method?: BitsMethod;
  /** Bits per pixel before quantization. Default 16: 8-bit Y plus 4-bit Cb and Cr (4:2:0). */
  sourceBits?: number;
  /**
   * Channels of the images, 3 (default) or 1. With 1, the `'tables'` method sums the luminance
   * table alone (a gray JPEG has no chroma tables): log2(sum(luma)). The `'paper'` arithmetic is
   * the paper's whatever the channels.
   */
  channels?: 1 | 3;
}

/** Result of {@link bitsPerPixel}. */
export interface BitsPerPixel {
  quality: number;
  /** Bits per pixel removed by quantization, clamped to 0..sourceBits. */
  lostBits: number;
  /** `sourceBits - lostBits`. */
  remainingBits: number;
}

/**
 * The paper's estimate of the information a JPEG quality keeps: quantizing by a table whose
 * entries sum to T removes about log2(T) bits per pixel from the `sourceBits` (16 for 4:2:0
 * YCbCr). With the default `'paper'` method this reproduces the paper's figures: 13.6 bits lost at
 * q 50, 12.29 at q 80, 1.39 bits remaining at q 25 and 1.00 at q 19. The `'tables'` method uses
 * the real baseline tables instead (13.84 bits lost at q 50). Results are clamped to
 * 0..sourceBits (the paper formula gives -Infinity at q 100, where S(q) = 0, and more than 16
 * bits below q 10).
 *
 * @param quality - Integer 1..100.
 * @param options - `method` (default `'paper'`), `sourceBits` (default 16).
 * @example
 * bitsPerPixel(25).remainingBits; // 1.392...
 * bitsPerPixel(50, { method: 'tables' }).lostBits; // 13.843...
 * bitsPerPixel(100, { method: 'tables', channels: 1, sourceBits: 8 }).remainingBits; // 2 (log2 of 64 ones)
 */
export function bitsPerPixel(quality: number, options: BitsPerPixelOptions = {}): BitsPerPixel {
  checkInteger('quality', quality, 1, 100);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  const method = checkOneOf('options.method', options.method ?? 'paper', ['paper', 'tables'] as const);
  const sourceBits = checkNumber('options.sourceBits', options.sourceBits ?? 16, 0);
  const chromaWeight = checkOneOf('options.channels', options.channels ?? 3, [1, 3] as const) === 1 ? 0 : 2;
  let sum: number;
  if (method === 'paper') {
    sum = (PAPER_TABLE_SUM * jpegQualityScaling(quality)) / 100;
  } else {
    const { luma, chroma } = cachedTables(quality, true);
    sum = 0;
    for (let i = 0; i < 64; i++) sum += luma[i] + chromaWeight * chroma[i];
  }
  const raw = sum > 0 ? Math.log2(sum) : 0;
  const lostBits = Math.min(sourceBits, Math.max(0, raw));
  return { quality, lostBits, remainingBits: sourceBits - lostBits };
}

/** Result of {@link jpegBitsPerPixel}. */
export interface JpegBitsPerPixel {
  /** Bits per pixel of the whole file (8 * file bytes / pixels). */
  total: number;
  /**
   * Bits per pixel of the entropy-coded data alone (8 * bytes between the SOS header and the EOI
   * marker / pixels, stuffed zero bytes and final padding included): the file without its ~620
   * bytes of headers and tables, which dominate small images.
   */
  scan: number;
}

/**
 * Measured bits per pixel of the real JPEG file `encodeJpeg(image, quality, options)` (the file
 * Pillow writes), with and without its headers.
 *
 * @param image - RGB or grayscale image.
 * @param quality - Integer 1..100.
 * @param options - `subsampling` as in `encodeJpeg`.
 * @example
 * const img = { width: 32, height: 32, channels: 3 as const, data: new Uint8Array(32 * 32 * 3).fill(90) };
 * const { total, scan } = jpegBitsPerPixel(img, 25); // total ≈ 5.02 (mostly headers), scan ≈ 0.13
 */
export function jpegBitsPerPixel(image: Image, quality: number, options: EncodeJpegOptions = {}): JpegBitsPerPixel {
  const { bytes, scanStart, scanEnd } = writeJpeg(forwardJpeg(image, quality, options));
  const pixels = image.width * image.height;
  return { total: (8 * bytes.length) / pixels, scan: (8 * (scanEnd - scanStart)) / pixels };
}
