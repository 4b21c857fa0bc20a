/**
 * Lossy WebP (libwebp through `@jsquash/webp`, byte for byte `cwebp -q Q`) as a sweep codec:
 * wraps `webpRoundTrip` and `webpBatchBitsPerPixel` of src/webp. Levels are WebP qualities
 * 0..100 (`cwebp -q`'s range; 0 is libwebp's strongest compression, and 100 is still lossy), on
 * the same Q axis as JPEG, `Q = (100 - q) / 100`, so the two curves of one data set share an axis.
 * The measured bits per pixel are the VP8 frame's (the file without its 20 bytes of RIFF and
 * chunk headers), the counterpart of JPEG's entropy-coded scan. WebP has no paper or tables
 * arithmetic, so only `measured` is given.
 *
 * @example
 * import { webpCodec } from './webp.js';
 * const decoded = await webpCodec.roundTrip(batch, 25);
 */
import type { ImageBatch } from '../image/image.js';
import { abortError } from '../util/abort.js';
import { webpBatchBitsPerPixel } from '../webp/bits.js';
import { checkWebpBatch, webpRoundTrip } from '../webp/roundtrip.js';
import type { Codec } from './codec.js';
import { imageAt } from './image-batch.js';
import { imageSourceBits, PAPER_QUALITY_LEVELS, qualityLevels, qualityQ } from './quality-axis.js';

/** Every WebP quality libwebp takes: 0..100. */
const QUALITIES = qualityLevels(0, 100);

/** The default WebP grid: the paper's JPEG qualities, so that the two codecs' sweeps line up. */
export const DEFAULT_WEBP_LEVELS: readonly number[] = PAPER_QUALITY_LEVELS;

/**
 * The WebP codec: levels are qualities 0..100, `Q = (100 - q) / 100`, bits per pixel measured
 * in the real files (VP8 frame, mean over the sample). Gray images are coded as R = G = B, as
 * cwebp codes a gray PNG, and come back gray.
 *
 * @example
 * webpCodec.toQ(25, [100, 25, 0]); // 0.75
 * webpCodec.validLevels({}).length; // 101
 */
export const webpCodec: Codec<ImageBatch> = {
  name: 'webp',
  modality: 'image',
  levelName: 'WebP quality',
  validLevels: () => QUALITIES,
  defaultLevels: () => DEFAULT_WEBP_LEVELS,
  toQ: qualityQ,
  roundTrip: async (batch, level, context = {}) => {
    checkWebpBatch(batch);
    const { count, width, height, channels } = batch;
    const size = width * height * channels;
    const data = new Uint8Array(count * size);
    for (let i = 0; i < count; i++) {
      if (context.signal?.aborted) throw abortError(context.signal);
      data.set((await webpRoundTrip(imageAt(batch, i), level)).data, i * size);
    }
    return { count, width, height, channels, data };
  },
  measureBits: async (sample, level) => ({
    unit: 'bits/pixel',
    measured: sample.count > 0 ? (await webpBatchBitsPerPixel(sample, level)).frame : NaN,
  }),
  sourceBits: imageSourceBits,
  maxSourceBits: 64,
};
