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
import { imageSourceBits, PAPER_QUALITY_LEVELS, qualityLevels, qualityQ } from './quality-axis.js';

const QUALITIES = qualityLevels(1, 100);

/** The paper's JPEG qualities, the default image grid. */
export const DEFAULT_JPEG_LEVELS: readonly number[] = PAPER_QUALITY_LEVELS;

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
  toQ: qualityQ,
  roundTrip: async (batch, level) => jpegRoundTripBatch(batch, level),
  measureBits: async (sample, level, context) => {
    let measured = 0;
    for (let i = 0; i < sample.count; i++) measured += jpegBitsPerPixel(imageAt(sample, i), level).scan;
    const sourceBits = context.sourceBits ?? imageSourceBits(sample);
    return {
      unit: 'bits/pixel',
      paper: bitsPerPixel(level, { method: 'paper', sourceBits }).remainingBits,
      tables: bitsPerPixel(level, { method: 'tables', sourceBits, channels: sample.channels === 1 ? 1 : 3 }).remainingBits,
      measured: sample.count > 0 ? measured / sample.count : NaN,
    };
  },
  sourceBits: imageSourceBits,
  maxSourceBits: 64,
};
