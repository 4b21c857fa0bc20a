/**
 * Baseline JFIF writer, byte-identical to Pillow 9.4 `Image.save(f, 'JPEG', quality=q)` and
 * `cjpeg -quality q -baseline` (libjpeg-turbo 2.1.5): SOI, APP0 JFIF 1.01 (no density unit, 1:1),
 * one DQT per table (luma 0, chroma 1), SOF0, one DHT per standard Annex K table, SOS, entropy-coded data, EOI.
 */
import type { JpegCoefficients } from './coefficients.js';
import { JpegWriter } from './bitwriter.js';
import { forwardJpeg, type ForwardJpegOptions } from './forward.js';
import {
  encodeScan, STD_AC_CHROMINANCE, STD_AC_LUMINANCE, STD_DC_CHROMINANCE, STD_DC_LUMINANCE, type HuffmanSpec,
} from './huffman-encode.js';
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

function writeDht(out: JpegWriter, classAndId: number, spec: HuffmanSpec): void {
  out.word(0xffc4);
  out.word(2 + 1 + 16 + spec.values.length);
  out.byte(classAndId);
  out.raw(spec.bits);
  out.raw(spec.values);
}

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
  // SOI and JFIF APP0 (version 1.01, density unit 0, density 1x1, no thumbnail)
  out.word(0xffd8);
  out.word(0xffe0);
  out.word(16);
  out.raw([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0]);
  out.word(1);
  out.word(1);
  out.byte(0);
  out.byte(0);
  // Quantization tables as libjpeg numbers them: 0 for luma, 1 for chroma (shared by the chroma
  // components), even when both hold the same values (qualities 1 and 100).
  const tables: Uint16Array[] = [];
  const tableOf = comps.map((c, ci) => {
    let k = ci === 0 ? -1 : tables.findIndex((t, j) => j > 0 && t.every((v, i) => v === c.quantTable[i]));
    if (k < 0) {
      k = tables.length;
      tables.push(c.quantTable);
    }
    return k;
  });
  let baseline = true;
  tables.forEach((t, k) => {
    const wide = t.some((v) => v > 255);
    if (wide) baseline = false;
    out.word(0xffdb);
    out.word(2 + 1 + (wide ? 128 : 64));
    out.byte((wide ? 0x10 : 0) | k);
    for (let i = 0; i < 64; i++) {
      const v = t[JPEG_NATURAL_ORDER[i]];
      if (wide) out.word(v);
      else out.byte(v);
    }
  });
  // SOF0 (SOF1 when a table needs 16-bit entries, as libjpeg does)
  out.word(baseline ? 0xffc0 : 0xffc1);
  out.word(8 + 3 * comps.length);
  out.byte(8);
  out.word(coefs.height);
  out.word(coefs.width);
  out.byte(comps.length);
  comps.forEach((c, i) => {
    out.byte(c.id);
    out.byte((c.h << 4) | c.v);
    out.byte(tableOf[i]);
  });
  // DHT: DC then AC table of each component, each once
  writeDht(out, 0x00, STD_DC_LUMINANCE);
  writeDht(out, 0x10, STD_AC_LUMINANCE);
  if (comps.length > 1) {
    writeDht(out, 0x01, STD_DC_CHROMINANCE);
    writeDht(out, 0x11, STD_AC_CHROMINANCE);
  }
  // SOS
  out.word(0xffda);
  out.word(6 + 2 * comps.length);
  out.byte(comps.length);
  comps.forEach((c, i) => {
    out.byte(c.id);
    out.byte(i === 0 ? 0x00 : 0x11);
  });
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
 *   `'4:4:4'` (0); ignored for grayscale.
 * @example
 * const img = { width: 8, height: 8, channels: 1 as const, data: new Uint8Array(64).fill(128) };
 * const jpeg = encodeJpeg(img, 75);
 * jpeg[0] === 0xff && jpeg[1] === 0xd8; // true
 */
export function encodeJpeg(image: Image, quality: number, options: EncodeJpegOptions = {}): Uint8Array {
  return writeJpeg(forwardJpeg(image, quality, options)).bytes;
}
