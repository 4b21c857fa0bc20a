/**
 * JPEG (IJG quality 1..100, baseline 4:2:0, libjpeg-turbo exact) as a sweep codec: wraps
 * `jpegRoundTripBatch`, `bitsPerPixel` and `jpegBitsPerPixel` of src/image.
 *
 * @example
 * import { jpegCodec } from './jpeg.js';
 * const decoded = await jpegCodec.roundTrip(batch, 25);
 */
import { bitsPerPixel, jpegBitsPerPixel } from '../image/bits.js';
import type { ImageBatch } from '../image/image.js';
import { jpegRoundTripBatch } from '../image/roundtrip.js';
import type { Codec } from './codec.js';
import { imageAt } from './image-batch.js';

const QUALITIES: readonly number[] = Object.freeze(Array.from({ length: 100 }, (_, i) => i + 1));

/** The paper's JPEG qualities, the default image grid. */
export const DEFAULT_JPEG_LEVELS: readonly number[] = Object.freeze([1, 5, 10, 15, 20, 25, 50, 75, 100]);

/**
 * The JPEG codec: levels are qualities 1..100, `Q = (100 - q) / 100`, bits per pixel from the
 * paper's arithmetic, the real tables and the measured entropy-coded scans.
 *
 * @example
 * jpegCodec.toQ(25, [100, 25, 1]); // 0.75
 */
export const jpegCodec: Codec<ImageBatch> = {
  name: 'jpeg',
  modality: 'image',
  levelName: 'JPEG quality',
  validLevels: () => QUALITIES,
  defaultLevels: () => DEFAULT_JPEG_LEVELS,
  toQ: (level) => (100 - level) / 100,
  roundTrip: async (batch, level) => jpegRoundTripBatch(batch, level),
  measureBits: async (sample, level, context) => {
    let measured = 0;
    for (let i = 0; i < sample.count; i++) measured += jpegBitsPerPixel(imageAt(sample, i), level).scan;
    const sourceBits = context.sourceBits ?? (sample.channels === 3 ? 16 : 8);
    return {
      unit: 'bits/pixel',
      paper: bitsPerPixel(level, { method: 'paper', sourceBits }).remainingBits,
      tables: bitsPerPixel(level, { method: 'tables', sourceBits }).remainingBits,
      measured: sample.count > 0 ? measured / sample.count : NaN,
    };
  },
  sourceBits: (context) => ((context.channels ?? 3) === 3 ? 16 : 8),
  maxSourceBits: 64,
};
