/**
 * Baseline JFIF writer, byte-identical to Pillow 9.4 `Image.save(f, 'JPEG', quality=q)` and
 * `cjpeg -quality q -baseline` (libjpeg-turbo 2.1.5): SOI, APP0 JFIF 1.01 (no density unit, 1:1),
 * one DQT per table (luma 0, chroma 1), SOF0, one DHT per standard Annex K table, SOS, entropy-coded data, EOI.
 */
import type { JpegCoefficients } from './coefficients.js';
import { JpegWriter } from './bitwriter.js';
import { forwardJpeg, type ForwardJpegOptions } from './forward.js';
import {
  ANNEX_K_AC_CHROMINANCE, ANNEX_K_AC_LUMINANCE, ANNEX_K_DC_CHROMINANCE, ANNEX_K_DC_LUMINANCE,
} from './annex-k.js';
import { encodeScan } from './huffman-encode.js';
import type { HuffmanSpec } from './huffman-spec.js';
import type { Image } from './image.js';
import { JPEG_NATURAL_ORDER } from './quantization.js';

/** Options of {@link encodeJpeg}: the same as `forwardJpeg`'s. */
export type EncodeJpegOptions = ForwardJpegOptions;

/** A written file and where its entropy-coded data begins (just after the SOS header). */
export interface WrittenJpeg {
  bytes: Uint8Array;
  /** Byte offset of the first entropy-coded byte. */
  scanStart: number;
  /** Byte offset just past the last entropy-coded byte (the EOI marker follows). */
  scanEnd: number;
}

function sameTable(a: Uint16Array, b: Uint16Array): boolean {
  for (let i = 0; i < 64; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A DHT segment (marker included). */
function dhtSegment(classAndId: number, spec: HuffmanSpec): number[] {
  const len = 2 + 1 + 16 + spec.symbols.length;
  return [0xff, 0xc4, len >> 8, len & 0xff, classAndId, ...spec.counts, ...spec.symbols];
}

/** The constant DHT segments: DC 0 + AC 0 (luma), DC 1 + AC 1 (chroma). */
const DHT_LUMA = Uint8Array.from([...dhtSegment(0x00, ANNEX_K_DC_LUMINANCE), ...dhtSegment(0x10, ANNEX_K_AC_LUMINANCE)]);
const DHT_CHROMA = Uint8Array.from([...dhtSegment(0x01, ANNEX_K_DC_CHROMINANCE), ...dhtSegment(0x11, ANNEX_K_AC_CHROMINANCE)]);

/** SOI and the JFIF APP0 segment (version 1.01, density unit 0, density 1x1, no thumbnail). */
const SOI_APP0 = Uint8Array.from([
  0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0,
]);

/**
 * Writes a baseline JFIF file from quantized coefficients (as `forwardJpeg` returns them) the way
 * libjpeg does: quantization tables numbered in order of first use, Huffman tables 0 for the first
 * component and 1 for the others.
 * @internal
 */
export function writeJpeg(coefs: JpegCoefficients): WrittenJpeg {
  const comps = coefs.components;
  let blocks = 0;
  for (const c of comps) blocks += c.blocksWide * c.blocksHigh;
  const out = new JpegWriter(700 + blocks * 40);
  out.raw(SOI_APP0);
  // Quantization tables as libjpeg numbers them: 0 for luma, 1 for chroma (shared by the chroma
  // components), even when both hold the same values (qualities 1 and 100).
  const tables: Uint16Array[] = [];
  const tableOf: number[] = [];
  for (let ci = 0; ci < comps.length; ci++) {
    const q = comps[ci].quantTable;
    let k = -1;
    for (let j = 1; ci > 0 && j < tables.length && k < 0; j++) if (sameTable(tables[j], q)) k = j;
    if (k < 0) {
      k = tables.length;
      tables.push(q);
    }
    tableOf[ci] = k;
  }
  let baseline = true;
  for (let k = 0; k < tables.length; k++) {
    const t = tables[k];
    let wide = false;
    for (let i = 0; i < 64; i++) if (t[i] > 255) wide = true;
    if (wide) baseline = false;
    out.word(0xffdb);
    out.word(2 + 1 + (wide ? 128 : 64));
    out.byte((wide ? 0x10 : 0) | k);
    for (let i = 0; i < 64; i++) {
      const v = t[JPEG_NATURAL_ORDER[i]];
      if (wide) out.word(v);
      else out.byte(v);
    }
  }
  // SOF0 (SOF1 when a table needs 16-bit entries, as libjpeg does)
  out.word(baseline ? 0xffc0 : 0xffc1);
  out.word(8 + 3 * comps.length);
  out.byte(8);
  out.word(coefs.height);
  out.word(coefs.width);
  out.byte(comps.length);
  for (let i = 0; i < comps.length; i++) {
    out.byte(comps[i].id);
    out.byte((comps[i].h << 4) | comps[i].v);
    out.byte(tableOf[i]);
  }
  // DHT: DC then AC table of each component, each once
  out.raw(DHT_LUMA);
  if (comps.length > 1) out.raw(DHT_CHROMA);
  // SOS
  out.word(0xffda);
  out.word(6 + 2 * comps.length);
  out.byte(comps.length);
  for (let i = 0; i < comps.length; i++) {
    out.byte(comps[i].id);
    out.byte(i === 0 ? 0x00 : 0x11);
  }
  out.byte(0);
  out.byte(63);
  out.byte(0);
  const scanStart = out.length;
  encodeScan(coefs, out);
  const scanEnd = out.length;
  out.word(0xffd9);
  return { bytes: out.bytes(), scanStart, scanEnd };
}

/**
 * Encodes `image` as a baseline JPEG file byte-identical to Pillow 9.4's
 * `Image.save(f, 'JPEG', quality=quality, subsampling=...)` (libjpeg-turbo 2.1.5, `cjpeg -quality q
 * -baseline`): IJG tables scaled to `quality` and clamped to 8 bits, islow DCT, standard Huffman
 * tables, JFIF header, no restart markers.
 *
 * @param image - RGB or grayscale image (grayscale writes a one-component file, like Pillow mode `L`).
 * @param quality - Integer 1..100.
 * @param options - `subsampling`: `'4:2:0'` (default, Pillow `subsampling=2`), `'4:2:2'` (1) or
 *   `'4:4:4'` (0); ignored for grayscale. `tables`: your own quantization tables (64 luma + 64
 *   chroma integers 1..255 in natural row-major order) used exactly as given instead of
 *   `quality`'s; the file is then byte-identical to `cjpeg -baseline -qtables FILE` (no
 *   `-quality`) with `-sample 2x2` / `2x1` / `1x1` for the three subsamplings.
 * @example
 * const img = { width: 8, height: 8, channels: 1 as const, data: new Uint8Array(64).fill(128) };
 * const jpeg = encodeJpeg(img, 75);
 * jpeg[0] === 0xff && jpeg[1] === 0xd8; // true
 * const own = encodeJpeg(img, 50, { tables: { luma: new Array(64).fill(10), chroma: new Array(64).fill(20) } });
 */
export function encodeJpeg(image: Image, quality: number, options: EncodeJpegOptions = {}): Uint8Array {
  return writeJpeg(forwardJpeg(image, quality, options)).bytes;
}
