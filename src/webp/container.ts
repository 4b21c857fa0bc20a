/**
 * The RIFF container of a WebP file, read far enough to name what is wrong with bad bytes before
 * libwebp sees them, and to find the frame for bit accounting. Layout from the WebP container
 * specification: "RIFF", a little-endian 32-bit size, "WEBP", then chunks of a FourCC, a 32-bit
 * size and that many bytes (plus a pad byte when the size is odd).
 */
import { describe } from '../util/checks.js';

/** Bytes of the RIFF header ("RIFF", size, "WEBP"). */
export const RIFF_HEADER_BYTES = 12;
/** Bytes of a chunk header (FourCC and size). */
export const CHUNK_HEADER_BYTES = 8;
/** Largest width or height a WebP file can hold (14-bit fields). */
export const MAX_WEBP_SIDE = 16383;

/** What {@link readWebpContainer} found. */
export interface WebpContainer {
  /** `'VP8 '` (lossy), `'VP8L'` (lossless) or `'VP8X'` (extended: alpha, animation, metadata). */
  format: 'VP8 ' | 'VP8L' | 'VP8X';
  width: number;
  height: number;
  /** The image's bitstream chunk (`'VP8 '` or `'VP8L'`): offset of its payload and its size. */
  frameOffset: number;
  frameBytes: number;
  /** True when the extended header says the file is animated. */
  animated: boolean;
}

function fourCC(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 0x1000000;
}

function u24(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
}

function corrupt(reason: string): Error {
  return new Error(`bytes are not a valid WebP file: ${reason}`);
}

/** Reads the dimensions in a `'VP8 '` (lossy) payload's frame header. */
function vp8Size(bytes: Uint8Array, at: number, size: number): { width: number; height: number } {
  if (size < 10) throw corrupt(`the VP8 frame is ${size} bytes, shorter than its 10-byte header`);
  const tag = u24(bytes, at);
  if ((tag & 1) !== 0) throw corrupt('the VP8 frame is not a key frame');
  if (bytes[at + 3] !== 0x9d || bytes[at + 4] !== 0x01 || bytes[at + 5] !== 0x2a) {
    throw corrupt('the VP8 frame lacks its start code 9d 01 2a');
  }
  const width = (bytes[at + 6] | (bytes[at + 7] << 8)) & 0x3fff;
  const height = (bytes[at + 8] | (bytes[at + 9] << 8)) & 0x3fff;
  return { width, height };
}

/** Reads the dimensions in a `'VP8L'` (lossless) payload's header. */
function vp8lSize(bytes: Uint8Array, at: number, size: number): { width: number; height: number } {
  if (size < 5) throw corrupt(`the VP8L frame is ${size} bytes, shorter than its 5-byte header`);
  if (bytes[at] !== 0x2f) throw corrupt('the VP8L frame lacks its signature byte 2f');
  const bits = u32(bytes, at + 1);
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

/**
 * Checks the RIFF/WebP structure of `bytes` and returns its format, size and frame chunk.
 * Throws an `Error` naming the first problem (not RIFF, not WEBP, truncated, an unknown first
 * chunk, a frame header that is not VP8/VP8L, zero dimensions); it does not decode the frame.
 *
 * @example
 * readWebpContainer(await encodeWebp(image, 75)); // { format: 'VP8 ', width, height, frameOffset: 20, frameBytes, animated: false }
 */
export function readWebpContainer(bytes: Uint8Array): WebpContainer {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`bytes must be a Uint8Array, got ${describe(bytes)}`);
  }
  if (bytes.length < RIFF_HEADER_BYTES + CHUNK_HEADER_BYTES) {
    throw corrupt(`${bytes.length} bytes is shorter than the 20-byte RIFF and chunk headers`);
  }
  if (fourCC(bytes, 0) !== 'RIFF') throw corrupt(`it starts with ${JSON.stringify(fourCC(bytes, 0))}, not "RIFF"`);
  if (fourCC(bytes, 8) !== 'WEBP') throw corrupt(`the RIFF form is ${JSON.stringify(fourCC(bytes, 8))}, not "WEBP"`);
  const riffEnd = 8 + u32(bytes, 4);
  if (riffEnd > bytes.length) {
    throw corrupt(`truncated: the RIFF header announces ${riffEnd} bytes, got ${bytes.length}`);
  }
  let at = RIFF_HEADER_BYTES;
  let format: WebpContainer['format'] | undefined;
  let canvas: { width: number; height: number } | undefined;
  let animated = false;
  while (at + CHUNK_HEADER_BYTES <= riffEnd) {
    const id = fourCC(bytes, at);
    const size = u32(bytes, at + 4);
    const payload = at + CHUNK_HEADER_BYTES;
    if (payload + size > riffEnd) {
      throw corrupt(`truncated: chunk ${JSON.stringify(id)} at byte ${at} announces ${size} bytes, ${riffEnd - payload} remain`);
    }
    if (format === undefined) {
      if (id !== 'VP8 ' && id !== 'VP8L' && id !== 'VP8X') {
        throw corrupt(`the first chunk is ${JSON.stringify(id)}, not "VP8 ", "VP8L" or "VP8X"`);
      }
      format = id;
      if (id === 'VP8X') {
        if (size < 10) throw corrupt(`the VP8X chunk is ${size} bytes, shorter than 10`);
        animated = (bytes[payload] & 0x02) !== 0;
        canvas = { width: u24(bytes, payload + 4) + 1, height: u24(bytes, payload + 7) + 1 };
      }
    }
    if (id === 'VP8 ' || id === 'VP8L') {
      const frame = id === 'VP8 ' ? vp8Size(bytes, payload, size) : vp8lSize(bytes, payload, size);
      if (frame.width === 0 || frame.height === 0) {
        throw corrupt(`the frame header gives a ${frame.width}x${frame.height} image`);
      }
      const { width, height } = canvas ?? frame;
      return { format, width, height, frameOffset: payload, frameBytes: size, animated };
    }
    if (id === 'ANMF') animated = true;
    at = payload + size + (size & 1);
  }
  if (animated) {
    return { format: format ?? 'VP8X', width: canvas?.width ?? 0, height: canvas?.height ?? 0, frameOffset: 0, frameBytes: 0, animated };
  }
  throw corrupt('no "VP8 " or "VP8L" image chunk was found');
}
