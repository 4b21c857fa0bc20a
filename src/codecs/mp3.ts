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
/** LAME caps CBR at 64 kbps below 16 kHz (MPEG-2.5: 8, 11.025, 12 kHz), measured: 96 kbps at 8 kHz writes 74 kbit/s. */
const MPEG25_MAX_BITRATE = 64;

/**
 * How far a level's measured bitrate may lie from its nominal one before it contradicts it. A CBR
 * stream never carries fewer bits than its rate over the clip (measured at least 1.02 x nominal
 * on 1 s clips at every honoured rate), so below {@link MP3_MIN_MEASURED_RATIO} x nominal the
 * encoder used another bitrate. Above, the allowance is {@link MP3_OVERHEAD_FRAMES} frames
 * (encoder delay, flush and the Info tag: at most 2.6 frames measured on 0.1 s clips) over the
 * clip's length.
 */
export const MP3_MIN_MEASURED_RATIO = 0.97;
/** Frames of overhead allowed above the nominal bitrate (see {@link MP3_MIN_MEASURED_RATIO}). */
export const MP3_OVERHEAD_FRAMES = 4;

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
  return MP3_BITRATES.filter((b) => {
    const out = lameOutputSampleRate(sampleRate, b);
    return out >= 32000 ? MPEG1_BITRATES.includes(b) : LSF_BITRATES.includes(b) && (out >= 16000 || b <= MPEG25_MAX_BITRATE);
  });
}

/**
 * Checks one clip's measured bitrate against the nominal `level` (kbps): an `Error` naming the
 * level, the sample rate and both rates when the stream holds fewer than
 * {@link MP3_MIN_MEASURED_RATIO} x nominal bits, or more than nominal plus
 * {@link MP3_OVERHEAD_FRAMES} frames over the clip: the encoder did not honour the level, and the
 * level's Q and bits would be wrong. Returns the measured bits per second.
 *
 * @example
 * checkMeasuredBitrate(320, 22050, 1, 171_000); // Error: mp3 level 320 kbps at 22050 Hz measured 171.0 kbit/s ...
 */
export function checkMeasuredBitrate(level: number, sampleRate: number, seconds: number, measured: number): number {
  const nominal = level * 1000;
  const out = lameOutputSampleRate(sampleRate, level);
  const frameSeconds = (out >= 32000 ? 1152 : 576) / out;
  const high = nominal * (1 + (MP3_OVERHEAD_FRAMES * frameSeconds) / seconds);
  if (measured < MP3_MIN_MEASURED_RATIO * nominal || measured > high) {
    throw new Error(
      `mp3 level ${level} kbps at ${sampleRate} Hz measured ${(measured / 1000).toFixed(1)} kbit/s on a ${seconds.toFixed(3)} s clip, ` +
        `outside ${((MP3_MIN_MEASURED_RATIO * nominal) / 1000).toFixed(1)}..${(high / 1000).toFixed(1)} kbit/s: the encoder did not honour this bitrate ` +
        `(valid at ${sampleRate} Hz: ${mp3BitratesAt(sampleRate).join(', ')})`,
    );
  }
  return measured;
}

/**
 * The MP3 codec: levels are CBR bitrates in kbps valid at the data's sample rate, Q the bitrate
 * normalized over the grid, bits per second nominal and measured (stream size, headers included;
 * a measured rate that contradicts the nominal one is an `Error`, see {@link checkMeasuredBitrate}).
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
      const seconds = clip.length / sample.sampleRate;
      sum += checkMeasuredBitrate(level, sample.sampleRate, seconds, (8 * bytes.length) / seconds);
    }
    return { unit: 'bits/s', nominal: level * 1000, measured: sample.signals.length > 0 ? sum / sample.signals.length : NaN };
  },
  sourceBits: (_context, grid) => Math.max(...grid) * 1000,
};
