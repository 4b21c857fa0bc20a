/**
 * RIFF WAVE reading and writing, browser-safe: 8/16/24/32-bit integer PCM and 32/64-bit float,
 * plain or WAVE_FORMAT_EXTENSIBLE, any channel count and sample rate.
 *
 * @example
 * const { channelData, sampleRate } = decodeWav(bytes);
 * const mono = mixToMono(channelData);
 */
import { checkFiniteSamples, checkInteger, checkOneOf } from '../util/checks.js';

/** A decoded WAV file: one Float32Array per channel, samples in [-1, 1]. */
export interface WavAudio {
  channelData: Float32Array[];
  sampleRate: number;
  /** Bits per sample as stored (8, 16, 24, 32 or 64). */
  bitsPerSample: number;
  /** `'pcm'` (integer) or `'float'`. */
  encoding: 'pcm' | 'float';
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

function fail(name: string, offset: number, what: string): never {
  throw new Error(`${name}: not a readable WAV file: ${what} (at byte ${offset})`);
}

/** A chunk id for messages: its characters where printable, else `\xNN` escapes. */
function printable(id: string): string {
  return id.replace(/[^\x20-\x7e]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function fourcc(view: DataView, offset: number): string {
  return String.fromCharCode(view.getUint8(offset), view.getUint8(offset + 1), view.getUint8(offset + 2), view.getUint8(offset + 3));
}

/**
 * Decodes a WAV file. Throws an `Error` naming `name` (a file name, for messages), the byte
 * offset and what was expected, for anything that is not a complete, supported WAV file.
 *
 * @example
 * decodeWav(new Uint8Array(await (await fetch('note.wav')).arrayBuffer()), { name: 'note.wav' });
 */
export function decodeWav(bytes: Uint8Array, options: { name?: string } = {}): WavAudio {
  const name = options.name ?? 'WAV data';
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`bytes must be a Uint8Array, got ${typeof bytes}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) fail(name, 0, `expected a 12-byte RIFF header, the file has ${bytes.length} bytes`);
  if (fourcc(view, 0) !== 'RIFF' || fourcc(view, 8) !== 'WAVE') fail(name, 0, 'expected "RIFF....WAVE"');
  let offset = 12;
  let format: { at: number; tag: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | null = null;
  let data: { start: number; length: number } | null = null;
  while (offset + 8 <= bytes.length && data === null) {
    const id = fourcc(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    const available = bytes.length - body;
    if (id !== 'data' && size > available) {
      fail(name, offset, `the "${printable(id)}" chunk declares ${size} bytes but only ${available} remain (truncated or corrupt file)`);
    }
    if (id === 'fmt ') {
      if (size < 16) fail(name, offset, `expected a fmt chunk of at least 16 bytes, got ${size}`);
      let tag = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      if (tag === FORMAT_EXTENSIBLE) {
        if (size < 40) fail(name, offset, 'expected a 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk');
        tag = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      format = { at: offset, tag, channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), blockAlign: view.getUint16(body + 12, true), bits };
    } else if (id === 'data') {
      if (format === null) fail(name, offset, 'expected the fmt chunk before the data chunk');
      if (size > available) fail(name, offset, `the data chunk declares ${size} bytes but only ${available} remain (truncated file)`);
      data = { start: body, length: size };
    }
    offset = body + size + (size & 1);
  }
  if (data === null && offset < bytes.length) {
    fail(name, offset, `the file ends inside a chunk header (${bytes.length - offset} of its 8 bytes; truncated file)`);
  }
  if (format === null) fail(name, offset, 'no fmt chunk');
  if (data === null) fail(name, offset, 'no data chunk');
  const { at, tag, channels, sampleRate, bits, blockAlign } = format;
  const isFloat = tag === FORMAT_FLOAT;
  if (tag !== FORMAT_PCM && !isFloat) fail(name, at + 8, `unsupported encoding (format tag ${tag}); supported: integer PCM (1) and IEEE float (3)`);
  const supportedBits = isFloat ? [32, 64] : [8, 16, 24, 32];
  if (!supportedBits.includes(bits)) fail(name, at + 22, `unsupported ${isFloat ? 'float' : 'PCM'} sample size ${bits} bits; supported: ${supportedBits.join(', ')}`);
  if (channels < 1) fail(name, at + 10, 'expected at least one channel');
  if (sampleRate < 1) fail(name, at + 12, `expected a positive sample rate, got ${sampleRate}`);
  const bytesPerSample = bits / 8;
  if (blockAlign !== channels * bytesPerSample) fail(name, at + 20, `block align ${blockAlign} does not equal channels * bytes per sample = ${channels * bytesPerSample}`);
  const frames = Math.floor(data.length / blockAlign);
  const channelData = Array.from({ length: channels }, () => new Float32Array(frames));
  let p = data.start;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      let v: number;
      if (isFloat) v = bits === 32 ? view.getFloat32(p, true) : view.getFloat64(p, true);
      else if (bits === 8) v = (view.getUint8(p) - 128) / 128;
      else if (bits === 16) v = view.getInt16(p, true) / 32768;
      else if (bits === 24) v = ((view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16)) / 8388608);
      else v = view.getInt32(p, true) / 2147483648;
      if (!Number.isFinite(v)) fail(name, p, `non-finite sample ${v}`);
      channelData[c][i] = v;
      p += bytesPerSample;
    }
  }
  return { channelData, sampleRate, bitsPerSample: bits, encoding: isFloat ? 'float' : 'pcm' };
}

/**
 * Averages channels into one mono signal (a copy when there is only one channel).
 *
 * @example
 * mixToMono([left, right]); // (left + right) / 2
 */
export function mixToMono(channelData: readonly Float32Array[]): Float32Array {
  if (channelData.length === 0) throw new RangeError('channelData must hold at least one channel, got 0');
  const n = channelData[0].length;
  if (channelData.some((c) => c.length !== n)) throw new RangeError('channelData channels must all have the same length');
  const out = Float32Array.from(channelData[0]);
  for (let c = 1; c < channelData.length; c++) for (let i = 0; i < n; i++) out[i] += channelData[c][i];
  if (channelData.length > 1) for (let i = 0; i < n; i++) out[i] /= channelData.length;
  return out;
}

/**
 * Encodes channels as a WAV file: 16-bit PCM (default, clipped to [-1, 1)), 24-bit PCM or
 * 32-bit float.
 *
 * @example
 * const bytes = encodeWav([signal], 44100, { encoding: 'float' });
 */
export function encodeWav(channelData: readonly Float32Array[], sampleRate: number, options: { bits?: 16 | 24 | 32; encoding?: 'pcm' | 'float' } = {}): Uint8Array {
  checkInteger('sampleRate', sampleRate, 1, 4_294_967_295);
  const encoding = checkOneOf('encoding', options.encoding ?? 'pcm', ['pcm', 'float'] as const);
  const bits = encoding === 'float' ? 32 : checkOneOf('bits', options.bits ?? 16, [16, 24] as const);
  if (channelData.length === 0) throw new RangeError('channelData must hold at least one channel, got 0');
  const frames = channelData[0].length;
  channelData.forEach((c, i) => {
    if (c.length !== frames) throw new RangeError(`channelData[${i}] has length ${c.length}, expected ${frames} like channel 0`);
    checkFiniteSamples(`channelData[${i}]`, c);
  });
  const bytesPerSample = bits / 8;
  const blockAlign = channelData.length * bytesPerSample;
  const dataBytes = frames * blockAlign;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const put = (o: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[o + i] = s.charCodeAt(i);
  };
  put(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, encoding === 'float' ? FORMAT_FLOAT : FORMAT_PCM, true);
  view.setUint16(22, channelData.length, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bits, true);
  put(36, 'data');
  view.setUint32(40, dataBytes, true);
  let p = 44;
  for (let i = 0; i < frames; i++) {
    for (const ch of channelData) {
      const v = ch[i];
      if (encoding === 'float') view.setFloat32(p, v, true);
      else {
        const full = bits === 16 ? 32768 : 8388608;
        const q = Math.max(-full, Math.min(full - 1, Math.round(v * full)));
        if (bits === 16) view.setInt16(p, q, true);
        else {
          out[p] = q & 0xff;
          out[p + 1] = (q >> 8) & 0xff;
          out[p + 2] = (q >> 16) & 0xff;
        }
      }
      p += bytesPerSample;
    }
  }
  return out;
}
