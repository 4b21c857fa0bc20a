/**
 * MP3 encoding and decoding. Encoding uses LAME 3.100 compiled to WebAssembly by this project
 * (src/audio/lame-wasm.ts, default; byte for byte Debian's `lame -t -b B`) or the pure-JS LAME
 * port `@breezystack/lamejs`; decoding uses libmpg123 1.31.2 compiled to WebAssembly by this
 * project (src/audio/mpg123-wasm.ts; Debian's `mpg123` decode within 1 LSB at 16 bits). Both
 * WebAssembly modules are embedded as inline strings (no `.wasm` file is fetched and no network is
 * used); they are imported and instantiated once, lazily, on first use.
 */
import { checkFiniteSamples, checkInteger, checkOneOf, describe } from '../util/checks.js';
import { concatBytes } from '../util/bytes.js';
import { resample } from './resample.js';

/** Every bitrate (kbps) of MPEG-1, MPEG-2 and MPEG-2.5 Layer III. */
export const MP3_BITRATES = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320] as const;

/** A valid MPEG-1/2/2.5 Layer III bitrate in kbps. */
export type Mp3Bitrate = (typeof MP3_BITRATES)[number];

/** The MP3 encoders {@link encodeMp3} can use. */
export type Mp3Codec = 'lame-wasm' | 'lamejs';

/** Options of {@link encodeMp3}. */
export interface EncodeMp3Options {
  /**
   * `'lame-wasm'` (default): LAME 3.100 compiled to WebAssembly, bit-for-bit the library behind
   * Debian's `lame` CLI. `'lamejs'`: the pure-JS port (`@breezystack/lamejs`), no WebAssembly.
   */
  codec?: Mp3Codec;
}

/** A decoded MP3 stream. */
export interface DecodedMp3 {
  /** One `Float32Array` per channel (1 for mono streams, 2 for stereo), samples nominally in [-1, 1] (libmpg123's float synthesis does not clip: a loud or damaged stream can go slightly beyond). */
  channelData: Float32Array[];
  /** Sample rate of the stream in Hz. */
  sampleRate: number;
}

/** Valid sample rates of MPEG-1/2/2.5 Layer III streams. */
const MPEG_SAMPLE_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000] as const;

/**
 * LAME's encoder delay in samples of the stream (`ENCDELAY`, 576) plus the MDCT/polyphase delay a
 * decoder adds (528 + 1): the first input sample appears at this index of an mpg123 decode of a
 * stream without a LAME/Xing tag.
 */
export const LAME_MPG123_DELAY = 576 + 529;

/**
 * Returns `bitrateKbps` if it is a valid MPEG-1/2/2.5 Layer III bitrate, else throws a
 * `RangeError` listing the valid ones.
 *
 * @example
 * checkMp3Bitrate(128); // 128
 * checkMp3Bitrate(100); // RangeError: bitrateKbps must be a valid MPEG-1/2/2.5 Layer III bitrate (8, 16, ...), got 100
 */
export function checkMp3Bitrate(bitrateKbps: unknown): Mp3Bitrate {
  if (typeof bitrateKbps !== 'number' || !(MP3_BITRATES as readonly number[]).includes(bitrateKbps)) {
    throw new RangeError(
      `bitrateKbps must be a valid MPEG-1/2/2.5 Layer III bitrate (${MP3_BITRATES.join(', ')}), got ${describe(bitrateKbps)}`,
    );
  }
  return bitrateKbps as Mp3Bitrate;
}

/**
 * Validates a mono signal and its sample rate (shared by the MP3 entry points): a non-empty
 * `Float32Array` of finite samples and a positive integer rate, else a `TypeError`/`RangeError`
 * naming the bad value.
 *
 * @example
 * checkMp3Signal(new Float32Array(0), 44100); // RangeError: signal must contain at least one sample, ...
 */
export function checkMp3Signal(signal: unknown, sampleRate: unknown): asserts signal is Float32Array {
  if (!(signal instanceof Float32Array)) {
    throw new TypeError(`signal must be a Float32Array, got ${describe(signal)}`);
  }
  if (signal.length === 0) throw new RangeError('signal must contain at least one sample, got an empty signal');
  if (typeof sampleRate !== 'number' || !Number.isInteger(sampleRate) || sampleRate <= 0) {
    throw new RangeError(`sampleRate must be a positive integer (Hz), got ${describe(sampleRate)}`);
  }
  checkFiniteSamples('signal', signal);
}

// ---------------------------------------------------------------------------------------------
// LAME's choice of output sample rate (lame_init_params in LAME 3.100, libmp3lame/lame.c)

const LAME_FULL_BITRATES = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const LAME_LOWPASS = [2000, 3700, 3900, 5500, 7000, 7500, 10000, 11000, 13500, 15100, 15600, 17000, 17500, 18600, 19400, 19700, 20500];

function nearestBitrateFullIndex(bitrate: number): number {
  let lower = 16;
  let upper = 16;
  for (let b = 0; b < 16; b++) {
    if (Math.max(bitrate, LAME_FULL_BITRATES[b + 1]) !== bitrate) {
      upper = b + 1;
      lower = b;
      break;
    }
  }
  return LAME_FULL_BITRATES[upper] - bitrate > bitrate - LAME_FULL_BITRATES[lower] ? lower : upper;
}

function optimumSampleFreq(lowpass: number, input: number): number {
  let suggested = 44100;
  for (const rate of [48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000]) {
    if (input >= rate) {
      suggested = rate;
      break;
    }
  }
  if (lowpass <= 15960) suggested = 44100;
  if (lowpass <= 15250) suggested = 32000;
  if (lowpass <= 11220) suggested = 24000;
  if (lowpass <= 9970) suggested = 22050;
  if (lowpass <= 7230) suggested = 16000;
  if (lowpass <= 5420) suggested = 12000;
  if (lowpass <= 4510) suggested = 11025;
  if (lowpass <= 3970) suggested = 8000;
  if (input < suggested) {
    if (input > 44100) return 48000;
    if (input > 32000) return 44100;
    if (input > 24000) return 32000;
    if (input > 22050) return 24000;
    if (input > 16000) return 22050;
    if (input > 12000) return 16000;
    if (input > 11025) return 12000;
    if (input > 8000) return 11025;
    return 8000;
  }
  return suggested;
}

/**
 * The sample rate LAME 3.100 (and so `lame -b B`) encodes at for a CBR bitrate and input rate when
 * no output rate is forced: the bitrate's default lowpass (x1.5 for mono), capped at half the input
 * rate, picks the rate (e.g. 44.1 kHz mono: 8 kbps -> 8 kHz, 16 -> 16 kHz, 32 -> 22.05 kHz,
 * 40 -> 24 kHz, 48 and 56 -> 32 kHz, 64 and up -> 44.1 kHz).
 *
 * @example
 * lameOutputSampleRate(44100, 32); // 22050
 */
export function lameOutputSampleRate(inputRate: number, bitrateKbps: number, channels: 1 | 2 = 1): number {
  checkInteger('inputRate', inputRate, 1, Number.MAX_SAFE_INTEGER);
  checkMp3Bitrate(bitrateKbps);
  checkOneOf('channels', channels, [1, 2]);
  let lowpass = LAME_LOWPASS[nearestBitrateFullIndex(bitrateKbps)];
  if (channels === 1) lowpass *= 1.5;
  if (2 * lowpass > inputRate) lowpass = inputRate / 2;
  return optimumSampleFreq(Math.trunc(lowpass), inputRate);
}

// ---------------------------------------------------------------------------------------------
// Lazily loaded codecs (module-scope memos; nothing is imported until first use)

type Mpg123WasmDecoder = Awaited<ReturnType<typeof import('./mpg123-wasm.js')['createMpg123WasmDecoder']>>;
type LameWasmEncoder = Awaited<ReturnType<typeof import('./lame-wasm.js')['createLameWasmEncoder']>>;

let wasmEncoderPromise: Promise<LameWasmEncoder> | undefined;
let decoderPromise: Promise<Mpg123WasmDecoder> | undefined;
let lamejsPromise: Promise<typeof import('@breezystack/lamejs')> | undefined;

function getWasmEncoder(): Promise<LameWasmEncoder> {
  wasmEncoderPromise ??= import('./lame-wasm.js')
    .then((m) => m.createLameWasmEncoder())
    .catch((error: unknown) => {
      wasmEncoderPromise = undefined;
      throw error;
    });
  return wasmEncoderPromise;
}

function getDecoder(): Promise<Mpg123WasmDecoder> {
  decoderPromise ??= import('./mpg123-wasm.js')
    .then((m) => m.createMpg123WasmDecoder())
    .catch((error: unknown) => {
      decoderPromise = undefined;
      throw error;
    });
  return decoderPromise;
}

function getLamejs(): Promise<typeof import('@breezystack/lamejs')> {
  lamejsPromise ??= import('@breezystack/lamejs').catch((error: unknown) => {
    lamejsPromise = undefined;
    throw error;
  });
  return lamejsPromise;
}

/** LAME's float input is full scale at +-1 and it clips beyond; lamejs wants 16-bit integers. */
function toInt16(signal: Float32Array): Int16Array {
  const out = new Int16Array(signal.length);
  for (let i = 0; i < signal.length; i++) {
    const v = Math.round(signal[i] * 32767);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

/**
 * Encodes a mono signal as a CBR MP3 stream (no ID3 tag, no LAME/Xing tag frame) at LAME's default
 * quality (`-q 3`, as the CLI). As `lame -b B`, LAME picks the stream's sample rate from the
 * bitrate (see {@link lameOutputSampleRate}) and resamples internally; a bitrate the chosen MPEG
 * version lacks is moved to the nearest it has (e.g. 144 kbps at 44.1 kHz encodes at 128, as the
 * CLI does). With `codec: 'lamejs'` the signal is first resampled to that same rate by
 * {@link resample} (lamejs has no resampler of its own).
 *
 * @param signal mono samples, full scale +-1 (finite, non-empty).
 * @param sampleRate input sample rate in Hz (positive integer).
 * @param bitrateKbps one of {@link MP3_BITRATES}.
 * @param options `codec` (default `'lame-wasm'`).
 * @returns the MP3 bytes.
 * @example
 * const mp3 = await encodeMp3(signal, 44100, 128);
 */
export async function encodeMp3(
  signal: Float32Array,
  sampleRate: number,
  bitrateKbps: number,
  options: EncodeMp3Options = {},
): Promise<Uint8Array> {
  checkMp3Signal(signal, sampleRate);
  const bitrate = checkMp3Bitrate(bitrateKbps);
  return encodeCheckedMp3(signal, sampleRate, bitrate, checkMp3Codec(options.codec));
}

/**
 * Returns the encoder `codec` names (default `'lame-wasm'` when undefined), else throws a
 * `RangeError` listing the codecs.
 *
 * @example
 * checkMp3Codec(undefined); // 'lame-wasm'
 */
export function checkMp3Codec(codec: unknown): Mp3Codec {
  return checkOneOf('options.codec', codec ?? 'lame-wasm', ['lame-wasm', 'lamejs'] as const);
}

/**
 * {@link encodeMp3} of arguments already validated (by {@link checkMp3Signal},
 * {@link checkMp3Bitrate} and {@link checkMp3Codec}): lets `mp3RoundTrip` check the samples once.
 *
 * @internal
 * @example
 * const mp3 = await encodeCheckedMp3(signal, 44100, 128, 'lame-wasm');
 */
export async function encodeCheckedMp3(signal: Float32Array, sampleRate: number, bitrate: Mp3Bitrate, codec: Mp3Codec): Promise<Uint8Array> {
  if (codec === 'lamejs') {
    const lamejs = await getLamejs();
    const outRate = lameOutputSampleRate(sampleRate, bitrate, 1);
    const input = outRate === sampleRate ? signal : resample(signal, sampleRate, outRate);
    const encoder = new lamejs.Mp3Encoder(1, outRate, bitrate);
    const parts: Uint8Array[] = [];
    const pcm = toInt16(input);
    const block = 1152 * 16;
    for (let i = 0; i < pcm.length; i += block) parts.push(encoder.encodeBuffer(pcm.subarray(i, i + block)).slice());
    parts.push(encoder.flush().slice());
    return concatBytes(parts);
  }

  const encoder = await getWasmEncoder();
  // One synchronous call (setup or restore + encode + flush), so concurrent calls cannot interleave.
  return encoder.encode(signal, sampleRate, bitrate);
}

// ---------------------------------------------------------------------------------------------
// Decoding

const LAYER3_BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const LAYER3_BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

interface FrameHeader {
  sampleRate: number;
  channels: 1 | 2;
  length: number;
}

/** Parses a Layer III frame header at `offset`, or returns null. */
function parseFrameHeader(bytes: Uint8Array, offset: number): FrameHeader | null {
  if (offset + 4 > bytes.length) return null;
  const b1 = bytes[offset + 1];
  const b2 = bytes[offset + 2];
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const versionBits = (b1 >> 3) & 3; // 0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1
  const layerBits = (b1 >> 1) & 3; // 1: Layer III
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const base = [44100, 48000, 32000][rateIndex];
  const sampleRate = versionBits === 3 ? base : versionBits === 2 ? base / 2 : base / 4;
  const kbps = (versionBits === 3 ? LAYER3_BITRATES_V1 : LAYER3_BITRATES_V2)[bitrateIndex];
  const padding = (b2 >> 1) & 1;
  const length = Math.floor(((versionBits === 3 ? 144 : 72) * kbps * 1000) / sampleRate) + padding;
  const channels = (bytes[offset + 3] >> 6) === 3 ? 1 : 2;
  return { sampleRate, channels, length };
}

/** Offset of the first byte after an ID3v2 tag at the start of `bytes` (0 when there is none). */
function skipId3v2(bytes: Uint8Array): number {
  if (bytes.length >= 10 && bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33) {
    const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
    return 10 + size + ((bytes[5] & 0x10) !== 0 ? 10 : 0);
  }
  return 0;
}

/** True when `bytes` from `offset` on hold only a known trailing tag (ID3v1, APEv2, Lyrics3). */
function isTrailingTag(bytes: Uint8Array, offset: number): boolean {
  const text = (at: number, n: number): string => String.fromCharCode(...bytes.subarray(at, at + n));
  const rest = bytes.length - offset;
  if (rest >= 128 && text(bytes.length - 128, 3) === 'TAG') return true;
  return text(offset, 8) === 'APETAGEX' || text(offset, 11) === 'LYRICSBEGIN' || text(offset, 3) === 'TAG';
}

/**
 * Walks the frames of a stream: the first Layer III header that is followed by a second one of the
 * same sample rate (or ends the data) starts it; frames are then followed to the end, where an
 * ID3v1/APE/Lyrics3 tag may stand. Throws an `Error` naming the problem for data with no frames, a
 * lost frame sync, a change of sample rate, or a last frame cut short.
 */
function scanFrames(bytes: Uint8Array): FrameHeader {
  let first: FrameHeader | null = null;
  let offset = skipId3v2(bytes);
  for (; offset + 4 <= bytes.length; offset++) {
    const h = parseFrameHeader(bytes, offset);
    if (!h) continue;
    const next = offset + h.length;
    const h2 = next === bytes.length ? h : parseFrameHeader(bytes, next);
    if (h2 && h2.sampleRate === h.sampleRate) {
      first = h;
      break;
    }
  }
  if (!first) throw new Error(`decodeMp3: corrupt MP3 data, no MPEG Layer III frame found in ${bytes.length} bytes`);
  while (offset < bytes.length) {
    const h = parseFrameHeader(bytes, offset);
    if (!h) {
      if (isTrailingTag(bytes, offset)) break;
      throw new Error(`decodeMp3: corrupt MP3 stream, frame sync lost at byte ${offset} of ${bytes.length}`);
    }
    if (h.sampleRate !== first.sampleRate) {
      throw new Error(`decodeMp3: corrupt MP3 stream, the frame at byte ${offset} says ${h.sampleRate} Hz in a ${first.sampleRate} Hz stream`);
    }
    if (offset + h.length > bytes.length) {
      throw new Error(
        `decodeMp3: truncated MP3 stream, the frame at byte ${offset} needs ${h.length} bytes but only ${bytes.length - offset} remain`,
      );
    }
    offset += h.length;
  }
  return first;
}

/**
 * Decodes an MPEG Layer III stream with libmpg123 1.31.2 (WebAssembly; the decoder of Debian's
 * `mpg123`, whose 16-bit `-w` output the samples equal within 1 LSB once rounded). Gapless: where
 * the stream carries a LAME/Xing tag (as `lame` CLI files at 64 kbps and above do), the encoder
 * delay and padding it records are removed; streams from {@link encodeMp3} carry no tag and
 * decode with the full `576 + 529` samples of codec delay at their start
 * ({@link LAME_MPG123_DELAY}).
 *
 * @param bytes the MP3 file contents.
 * @returns the channels (1 or 2, as the stream's first frame says) and the stream's sample rate.
 * @throws Error when no valid Layer III frame is found, the last frame is cut short, or libmpg123
 *   reports a decoding error.
 * @example
 * const { channelData, sampleRate } = await decodeMp3(await encodeMp3(signal, 44100, 64));
 */
export async function decodeMp3(bytes: Uint8Array): Promise<DecodedMp3> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`bytes must be a Uint8Array, got ${describe(bytes)}`);
  const header = scanFrames(bytes);
  const decoder = await getDecoder();
  // One synchronous call: concurrent decodes cannot interleave, and each opens its stream afresh.
  const decoded = decoder.decode(bytes);
  if (decoded.error) {
    const { code, message, inputByte } = decoded.error;
    throw new Error(`decodeMp3: corrupt MP3 stream (libmpg123 error ${code}: ${message} at input byte ${inputByte})`);
  }
  let { channelData } = decoded;
  if (channelData.length === 0 || channelData[0].length === 0) {
    throw new Error(`decodeMp3: no audio could be decoded from ${bytes.length} bytes`);
  }
  const rate = decoded.sampleRate;
  if (!(MPEG_SAMPLE_RATES as readonly number[]).includes(rate)) {
    throw new Error(`decodeMp3: corrupt MP3 stream (decoder reports sample rate ${rate})`);
  }
  // libmpg123 keeps the channel count of the first frame it decoded; where damage made that another
  // frame than the scan's first, the channels are fitted to the scan's (left only, or mono twice).
  if (channelData.length > header.channels) channelData = channelData.slice(0, header.channels);
  else if (channelData.length < header.channels) channelData = [channelData[0], channelData[0].slice()];
  return { channelData, sampleRate: rate };
}
