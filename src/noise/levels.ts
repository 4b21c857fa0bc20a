/**
 * Compression levels: the quantization axis Q and level validation, through the level's codec.
 */
import type { AnyCodec, CodecContext, Modality } from '../codecs/codec.js';
import { DEFAULT_JPEG_LEVELS } from '../codecs/jpeg.js';
import { bitrateToQ, DEFAULT_MP3_LEVELS } from '../codecs/mp3.js';
import { qualityQ } from '../codecs/quality-axis.js';
import { DEFAULT_CODECS, getCodec } from '../codecs/registry.js';
import { checkInteger, checkNumber, describe } from '../util/checks.js';

export { bitrateToQ };

/** The paper's JPEG qualities, the default image levels. */
export const DEFAULT_IMAGE_LEVELS: readonly number[] = DEFAULT_JPEG_LEVELS;

/** The paper's MP3 bitrates in kbps, the default audio levels. */
export const DEFAULT_AUDIO_LEVELS: readonly number[] = DEFAULT_MP3_LEVELS;

/**
 * JPEG quality (1..100) to the paper's quantization in percent over 100: `Q = (100 - q) / 100`
 * (0 = best quality, 0.99 = quality 1).
 *
 * @example
 * qualityToQ(25); // 0.75
 */
export function qualityToQ(quality: number): number {
  checkInteger('quality', quality, 1, 100);
  return qualityQ(quality);
}

/**
 * Inverse of {@link qualityToQ}: the JPEG quality whose Q is nearest.
 *
 * @example
 * qToQuality(0.75); // 25
 */
export function qToQuality(Q: number): number {
  checkNumber('Q', Q, 0, 0.99);
  return Math.round(100 - 100 * Q);
}

/**
 * Q of every level on the grid `levels`: the codec's `toQ` (default: the modality's default
 * codec, JPEG `(100 - q) / 100` or MP3 bitrate normalized over the grid).
 *
 * @example
 * levelsToQ([100, 50, 1], 'image'); // [0, 0.5, 0.99]
 */
export function levelsToQ(levels: readonly number[], codec: Modality | AnyCodec = 'image'): number[] {
  const c = resolveCodec(codec);
  return levels.map((level) => c.toQ(level, levels));
}

function resolveCodec(codec: Modality | AnyCodec): AnyCodec {
  return typeof codec === 'string' ? getCodec(DEFAULT_CODECS[codec]) : codec;
}

/**
 * Checks a list of levels against the codec on data with `context` (e.g. MP3 bitrates that LAME
 * can honour at the data's sample rate) and returns them sorted by ascending Q (best quality
 * first): an array of at least 3 distinct levels, each one of `codec.validLevels(context)`.
 *
 * @throws RangeError/TypeError naming `levels`, the bad value and what is allowed.
 * @example
 * validateLevels([1, 50, 100]); // [100, 50, 1]
 * validateLevels([1, 50]);      // RangeError: levels must hold at least 3 levels ...
 * validateLevels([8, 160, 320], 'audio', { sampleRate: 22050 }); // RangeError: levels[2] must be one of the kbps valid at 22050 Hz (8, ..., 160), got 320
 */
export function validateLevels(levels: unknown, codec: Modality | AnyCodec = 'image', context: CodecContext = {}): number[] {
  const c = resolveCodec(codec);
  if (!Array.isArray(levels)) {
    throw new TypeError(`levels must be an array of ${c.levelName} levels, got ${describe(levels)}`);
  }
  if (levels.length < 3) {
    throw new RangeError(`levels must hold at least 3 levels (a knee needs a curve), got ${levels.length}: ${JSON.stringify(levels)}`);
  }
  const valid = c.validLevels(context);
  const lo = valid[0];
  const hi = valid[valid.length - 1];
  const contiguous = valid.length === hi - lo + 1;
  const where = context.sampleRate !== undefined ? ` at ${context.sampleRate} Hz` : '';
  const seen = new Set<number>();
  levels.forEach((level, i) => {
    if (contiguous) {
      try {
        checkInteger(`levels[${i}]`, level, lo, hi);
      } catch (error) {
        throw new RangeError(`${(error as Error).message} (each level is a ${c.levelName})`);
      }
    } else if (!valid.includes(level as number)) {
      throw new RangeError(`levels[${i}] must be one of the ${c.levelName} valid for ${c.name}${where} (${valid.join(', ')}), got ${describe(level)}`);
    }
    if (seen.has(level as number)) throw new RangeError(`levels must be distinct, got ${level} twice`);
    seen.add(level as number);
  });
  const grid = levels as number[];
  return [...grid].sort((a, b) => c.toQ(a, grid) - c.toQ(b, grid));
}
