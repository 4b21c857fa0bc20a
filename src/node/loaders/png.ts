/**
 * PNG files for the image-folder loader. The chunk stream is checked first (signature, chunk
 * lengths against the file's length, CRCs, the IHDR fields, the amount of image data the header
 * implies, IEND), so a truncated or corrupt file fails with the byte offset where it breaks and
 * before any buffer is sized from a bogus header; pngjs then decodes the pixels.
 */
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import type { Image } from '../../image/image.js';

/**
 * The most pixels a PNG may declare: Pillow's decompression-bomb limit (twice
 * `Image.MAX_IMAGE_PIXELS`, where Pillow raises `DecompressionBombError`).
 */
export const PNG_MAX_PIXELS = 178_956_970;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Samples per pixel and the allowed bit depths of each PNG colour type. */
const COLOR_TYPES: Record<number, { samples: number; depths: number[]; name: string }> = {
  0: { samples: 1, depths: [1, 2, 4, 8, 16], name: 'grayscale' },
  2: { samples: 3, depths: [8, 16], name: 'RGB' },
  3: { samples: 1, depths: [1, 2, 4, 8], name: 'palette' },
  4: { samples: 2, depths: [8, 16], name: 'grayscale + alpha' },
  6: { samples: 4, depths: [8, 16], name: 'RGBA' },
};

/** Adam7 passes: first column, first row, column step, row step. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];

/** zlib's largest possible expansion (its FAQ: "the maximum compression factor is 1032:1"). */
const MAX_INFLATE_RATIO = 1032;

let crcTable: Uint32Array | undefined;

/**
 * The CRC-32 (ISO 3309, as PNG chunks and gzip use) of `bytes`.
 *
 * @example
 * crc32(new TextEncoder().encode('IEND')); // 0xae426082
 */
export function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Decodes the bytes of a PNG file into an RGB {@link Image} (alpha dropped, as Pillow's
 * `convert('RGB')`; gray repeated to RGB). `file` names it in errors.
 *
 * A damaged file throws an `Error` that starts with the file, says "truncated or corrupt PNG" and
 * gives the byte offset where the file stops making sense: a chunk that runs past the end of the
 * file, a CRC mismatch, a missing IHDR or IEND, an IHDR field outside the PNG specification, too
 * little compressed data for the size the header declares, a zlib stream that is corrupt or ends
 * early. An image of more than {@link PNG_MAX_PIXELS} pixels is refused before decoding. Bytes after
 * IEND are ignored, as Pillow ignores them.
 *
 * @example
 * const image = decodePng('cat.png', await readFile('cat.png')); // { width, height, channels: 3, data }
 */
export function decodePng(file: string, bytes: Uint8Array): Image {
  const fail = (offset: number, why: string): never => {
    throw new Error(`${file}: truncated or corrupt PNG at byte offset ${offset}: ${why}`);
  };
  const n = bytes.length;
  for (let i = 0; i < SIGNATURE.length; i++) {
    if (i >= n) fail(n, `the file ends inside the 8-byte PNG signature (${n} bytes)`);
    if (bytes[i] !== SIGNATURE[i]) {
      fail(i, `signature byte 0x${hex(bytes[i])}, expected 0x${hex(SIGNATURE[i])} (89 50 4e 47 0d 0a 1a 0a; a file converted as text?)`);
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: { width: number; height: number; depth: number; colorType: number; interlace: number } | undefined;
  const idat: Uint8Array[] = [];
  let idatStart = -1;
  let idatBytes = 0;
  let palette = false;
  let end = -1;
  let offset = 8;
  while (end < 0) {
    if (offset + 8 > n) {
      fail(offset, offset === n ? 'the file ends before the IEND chunk' : `the file ends inside a chunk header (${n - offset} of its 8 bytes)`);
    }
    const length = view.getUint32(offset, false);
    const typeBytes = bytes.subarray(offset + 4, offset + 8);
    const type = String.fromCharCode(...typeBytes);
    if (!/^[A-Za-z]{4}$/.test(type)) {
      fail(offset + 4, `chunk type bytes ${Array.from(typeBytes, (b) => `0x${hex(b)}`).join(' ')}, expected four ASCII letters`);
    }
    if (length > 0x7fffffff) fail(offset, `chunk ${type} declares ${length} bytes, more than the 2^31 - 1 a PNG chunk may hold`);
    const dataEnd = offset + 8 + length;
    if (dataEnd + 4 > n) {
      fail(offset, `chunk ${type} declares ${length} data bytes, but the file ends at byte offset ${n} (the chunk and its CRC need ${dataEnd + 4})`);
    }
    const stored = view.getUint32(dataEnd, false);
    const computed = crc32(bytes.subarray(offset + 4, dataEnd));
    if (stored !== computed) fail(dataEnd, `CRC mismatch in chunk ${type} (stored 0x${stored.toString(16)}, computed 0x${computed.toString(16)})`);
    if (header === undefined && type !== 'IHDR') fail(offset, `first chunk is ${type}, expected IHDR`);
    if (type === 'IHDR') {
      if (header !== undefined) fail(offset, 'a second IHDR chunk');
      if (length !== 13) fail(offset, `IHDR chunk of ${length} bytes, expected 13`);
      header = readHeader(view, offset + 8, fail);
    } else if (type === 'PLTE') {
      palette = true;
    } else if (type === 'IDAT') {
      if (idatStart < 0) idatStart = offset;
      idat.push(bytes.subarray(offset + 8, dataEnd));
      idatBytes += length;
    } else if (type === 'IEND') {
      end = dataEnd + 4;
    }
    offset = dataEnd + 4;
  }
  if (header === undefined) return fail(8, 'no IHDR chunk'); // unreachable: the first chunk is IHDR
  const { width, height, depth, colorType, interlace } = header;
  if (idatStart < 0) fail(end - 12, 'IEND before any IDAT chunk (the image data)');
  if (colorType === 3 && !palette) fail(idatStart, 'a palette image without a PLTE chunk');
  const needed = rawSize(width, height, COLOR_TYPES[colorType].samples * depth, interlace === 1);
  if (idatBytes * MAX_INFLATE_RATIO + MAX_INFLATE_RATIO < needed) {
    fail(idatStart, `the IDAT chunks hold ${idatBytes} compressed bytes, too few for the ${width}x${height} image the header declares (${needed} bytes decompressed; zlib expands at most ${MAX_INFLATE_RATIO}:1)`);
  }
  let inflatedBytes: number;
  try {
    inflatedBytes = inflateSync(Buffer.concat(idat), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: needed }).length;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code !== 'ERR_BUFFER_TOO_LARGE') return fail(idatStart, `corrupt compressed image data in the IDAT chunks (zlib: ${e.message})`);
    if (interlace === 1) fail(idatStart, `the image data decompresses to more than the ${needed} bytes the ${width}x${height} interlaced image needs`);
    inflatedBytes = needed; // more than the header needs: pngjs reads only the rows it declares
  }
  if (inflatedBytes < needed) {
    fail(idatStart, `the image data decompresses to ${inflatedBytes} bytes, the ${width}x${height} image the header declares needs ${needed} (truncated or corrupt zlib stream)`);
  }
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, end));
  } catch (err) {
    return fail(idatStart, `undecodable image data (pngjs: ${(err as Error).message})`);
  }
  const pixels = png.width * png.height;
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    rgb[3 * i] = png.data[4 * i];
    rgb[3 * i + 1] = png.data[4 * i + 1];
    rgb[3 * i + 2] = png.data[4 * i + 2];
  }
  return { width: png.width, height: png.height, channels: 3, data: rgb };
}

function readHeader(
  view: DataView,
  at: number,
  fail: (offset: number, why: string) => never,
): { width: number; height: number; depth: number; colorType: number; interlace: number } {
  const width = view.getUint32(at, false);
  const height = view.getUint32(at + 4, false);
  const depth = view.getUint8(at + 8);
  const colorType = view.getUint8(at + 9);
  if (width < 1 || width > 0x7fffffff) fail(at, `width ${width}, expected 1 .. 2^31 - 1`);
  if (height < 1 || height > 0x7fffffff) fail(at + 4, `height ${height}, expected 1 .. 2^31 - 1`);
  const kind = COLOR_TYPES[colorType];
  if (kind === undefined) fail(at + 9, `colour type ${colorType}, expected 0, 2, 3, 4 or 6`);
  if (!kind.depths.includes(depth)) fail(at + 8, `bit depth ${depth} with colour type ${colorType} (${kind.name}), expected ${kind.depths.join(', ')}`);
  if (view.getUint8(at + 10) !== 0) fail(at + 10, `compression method ${view.getUint8(at + 10)}, expected 0`);
  if (view.getUint8(at + 11) !== 0) fail(at + 11, `filter method ${view.getUint8(at + 11)}, expected 0`);
  const interlace = view.getUint8(at + 12);
  if (interlace > 1) fail(at + 12, `interlace method ${interlace}, expected 0 or 1`);
  if (width * height > PNG_MAX_PIXELS) {
    fail(at, `the header declares ${width}x${height} = ${width * height} pixels, more than the ${PNG_MAX_PIXELS} allowed (Pillow's decompression-bomb limit)`);
  }
  return { width, height, depth, colorType, interlace };
}

/** Bytes of filtered scanlines (one filter byte per row) an image of this size decompresses to. */
function rawSize(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number): number => (w > 0 && h > 0 ? (Math.ceil((w * bitsPerPixel) / 8) + 1) * h : 0);
  if (!interlaced) return rows(width, height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) total += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy));
  return total;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
