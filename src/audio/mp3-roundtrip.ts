/**
 * What a model sees after MP3 compression: encode, decode, and bring the result back onto the
 * input's time grid (same rate, same length, no lag).
 */
import { LAME_MPG123_DELAY, checkMp3Bitrate, checkMp3Codec, checkMp3Signal, decodeMp3, encodeCheckedMp3 } from './mp3.js';
import type { EncodeMp3Options } from './mp3.js';
import { resample } from './resample.js';

/** Options of {@link mp3RoundTrip}. */
export type Mp3RoundTripOptions = EncodeMp3Options;

/** True when the first frame of `bytes` is a Xing/Info tag frame (which mpg123 uses for gapless trimming). */
function hasGaplessTag(bytes: Uint8Array): boolean {
  const limit = Math.min(bytes.length - 4, 64);
  for (let i = 4; i < limit; i++) {
    const a = bytes[i], b = bytes[i + 1], c = bytes[i + 2], d = bytes[i + 3];
    if ((a === 0x58 && b === 0x69 && c === 0x6e && d === 0x67) || (a === 0x49 && b === 0x6e && c === 0x66 && d === 0x6f)) return true;
  }
  return false;
}

/**
 * Compresses a mono signal with MP3 at `bitrateKbps` and decodes it back (see {@link encodeMp3}
 * and {@link decodeMp3}), returning a signal of the input's length at the input's sample rate,
 * aligned with the input: LAME's encoder delay (576) and mpg123's decoder delay (529) are cut from
 * the start of the decoded stream, the padding after the last frame is dropped, and a stream that
 * LAME resampled (8, 16, 32 kbps at 44.1 kHz give 8, 16, 22.05 kHz) is brought back with the
 * zero-phase Kaiser-windowed sinc resampler {@link resample} (no delay to compensate).
 *
 * @param signal mono samples, full scale +-1 (finite, non-empty).
 * @param sampleRate input sample rate in Hz (positive integer).
 * @param bitrateKbps one of {@link MP3_BITRATES}.
 * @param options `codec` (default `'lame-wasm'`).
 * @returns a new `Float32Array` of `signal.length` samples at `sampleRate`.
 * @example
 * const heard = await mp3RoundTrip(signal, 44100, 32); // same length as signal, 22.05 kHz bandwidth
 */
export async function mp3RoundTrip(
  signal: Float32Array,
  sampleRate: number,
  bitrateKbps: number,
  options: Mp3RoundTripOptions = {},
): Promise<Float32Array> {
  checkMp3Signal(signal, sampleRate);
  const bitrate = checkMp3Bitrate(bitrateKbps);
  // The samples are checked once, here (encodeMp3 would check them again).
  const mp3 = await encodeCheckedMp3(signal, sampleRate, bitrate, checkMp3Codec(options.codec));
  const { channelData, sampleRate: streamRate } = await decodeMp3(mp3);
  const decoded = channelData[0];
  const offset = hasGaplessTag(mp3) ? 0 : LAME_MPG123_DELAY;
  const aligned = decoded.subarray(Math.min(offset, decoded.length));
  if (streamRate === sampleRate) {
    const out = new Float32Array(signal.length);
    out.set(aligned.subarray(0, Math.min(aligned.length, signal.length)));
    return out;
  }
  return resample(aligned, streamRate, sampleRate, { length: signal.length });
}
