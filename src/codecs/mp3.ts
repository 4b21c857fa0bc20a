/**
 * MP3 (LAME CBR + mpg123, mono) as a sweep codec: wraps `mp3RoundTrip` and `encodeMp3` of
 * src/audio. Levels are bitrates in kbps; which bitrates exist depends on the MPEG version LAME
 * encodes at, which depends on the data's sample rate (at 22.05 kHz, MPEG-2 Layer III tops out at
 * 160 kbps), so {@link Codec.validLevels} reads the sample rate.
 *
 * @example
 * import { mp3Codec } from './mp3.js';
 * mp3Codec.validLevels({ sampleRate: 22050 }); // [8, 16, ..., 144, 160]
 */
import { encodeMp3, lameOutputSampleRate, MP3_BITRATES } from '../audio/mp3.js';
import { mp3RoundTrip } from '../audio/mp3-roundtrip.js';
import { checkNumber, describe } from '../util/checks.js';
import { abortError } from '../util/abort.js';
import type { Codec, SignalBatch } from './codec.js';

/** The paper's MP3 bitrates in kbps, the default audio grid. */
export const DEFAULT_MP3_LEVELS: readonly number[] = Object.freeze([8, 16, 32, 64, 96, 128, 160]);

/** Layer III bitrates of MPEG-1 (32, 44.1, 48 kHz). */
const MPEG1_BITRATES: readonly number[] = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
/** Layer III bitrates of MPEG-2 and 2.5 (8 to 24 kHz). */
const LSF_BITRATES: readonly number[] = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/**
 * MP3 bitrate to Q, normalized over the swept bitrates: the highest has Q = 0, the lowest Q = 1.
 *
 * @example
 * bitrateToQ(8, [8, 16, 32, 64, 96, 128, 160]); // 1
 */
export function bitrateToQ(bitrate: number, bitrates: readonly number[]): number {
  checkNumber('bitrate', bitrate, 0);
  const hi = Math.max(...bitrates);
  const lo = Math.min(...bitrates);
  if (!(hi > lo)) throw new RangeError(`bitrates must hold at least two different values, got ${describe(bitrates)}`);
  return (hi - bitrate) / (hi - lo);
}

/**
 * The bitrates LAME can honour for mono input at `sampleRate`: those of the MPEG version of the
 * rate it encodes at (`lameOutputSampleRate`). Without a rate, every Layer III bitrate.
 *
 * @example
 * mp3BitratesAt(22050).includes(320); // false (MPEG-2 tops out at 160 kbps)
 */
export function mp3BitratesAt(sampleRate?: number): number[] {
  if (sampleRate === undefined) return [...MP3_BITRATES];
  return MP3_BITRATES.filter((b) => (lameOutputSampleRate(sampleRate, b) >= 32000 ? MPEG1_BITRATES : LSF_BITRATES).includes(b));
}

/**
 * The MP3 codec: levels are CBR bitrates in kbps valid at the data's sample rate, Q the bitrate
 * normalized over the grid, bits per second nominal and measured (stream size, headers included).
 *
 * @example
 * const decoded = await mp3Codec.roundTrip({ signals, sampleRate: 44100 }, 32);
 */
export const mp3Codec: Codec<SignalBatch> = {
  name: 'mp3',
  modality: 'audio',
  levelName: 'kbps',
  validLevels: (context) => mp3BitratesAt(context.sampleRate),
  defaultLevels: () => DEFAULT_MP3_LEVELS,
  toQ: bitrateToQ,
  roundTrip: async (batch, level, context = {}) => {
    const out: Float32Array[] = [];
    for (const clip of batch.signals) {
      if (context.signal?.aborted) throw abortError(context.signal);
      out.push(await mp3RoundTrip(clip, batch.sampleRate, level));
    }
    return { signals: out, sampleRate: batch.sampleRate };
  },
  measureBits: async (sample, level) => {
    let sum = 0;
    for (const clip of sample.signals) {
      const bytes = await encodeMp3(clip, sample.sampleRate, level);
      sum += (8 * bytes.length) / (clip.length / sample.sampleRate);
    }
    return { unit: 'bits/s', nominal: level * 1000, measured: sample.signals.length > 0 ? sum / sample.signals.length : NaN };
  },
  sourceBits: (_context, grid) => Math.max(...grid) * 1000,
};
