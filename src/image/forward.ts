/**
 * The forward half of JPEG, exactly as libjpeg-turbo 2.1.5 (Pillow 9.4) computes it: fixed-point
 * RGB -> YCbCr (jccolor.c), edge expansion (jcprepct.c, jcsample.c), chroma downsampling with
 * libjpeg's alternating bias (jcsample.c h2v1/h2v2), the "islow" integer forward DCT
 * (jfdctint.c), quantization by libjpeg-turbo's reciprocal multiplication (jcdctmgr.c, the path its
 * SIMD builds use), and the dummy blocks that fill the last MCUs (jccoefct.c).
 */
import { checkInteger, checkOneOf, describe } from '../util/checks.js';
import type { JpegCoefficients, JpegComponentCoefficients } from './coefficients.js';
import { assertImage, type Image } from './image.js';
import { ISLOW } from './islow-constants.js';
import type { CustomQuantizationTables } from './quantization.js';
import { jpegQuantizer, type Divisors, type JpegQuantizer } from './quantizer.js';

// Constants of jfdctint.c, as local `const`s: module-level consts fold into optimized code,
// imported bindings may not.
const {
  CONST_BITS, FIX_0_298631336, FIX_0_390180644, FIX_0_541196100, FIX_0_765366865, FIX_0_899976223, FIX_1_175875602,
  FIX_1_501321110, FIX_1_847759065, FIX_1_961570560, FIX_2_053119869, FIX_2_562915447, FIX_3_072711026, PASS1_BITS,
} = ISLOW;

/** Chroma subsampling of an RGB JPEG: Pillow's `subsampling=2 | 1 | 0`. */
export type ChromaSubsampling = '4:2:0' | '4:2:2' | '4:4:4';

/** The allowed values of {@link ChromaSubsampling}. */
export const CHROMA_SUBSAMPLINGS: readonly ChromaSubsampling[] = Object.freeze(['4:2:0', '4:2:2', '4:4:4']);

/** Options of {@link forwardJpeg} and `encodeJpeg`. */
export interface ForwardJpegOptions {
  /**
   * Chroma subsampling of RGB images: `'4:2:0'` (default, Pillow's and libjpeg's default: luma
   * sampled 2x2), `'4:2:2'` (2x1) or `'4:4:4'` (1x1). For grayscale images Pillow writes the
   * luma sampling factors of an explicitly given subsampling into the file (2x2, 2x1, 1x1) and
   * 1x1 when it is omitted; we do the same. It changes no coefficient and no decoded pixel.
   */
  subsampling?: ChromaSubsampling;
  /**
   * Quantization tables to use instead of the IJG tables of `quality`: 64 luma and 64 chroma
   * integers 1..255 in natural row-major order (as cjpeg's `-qtables` file lists them), used
   * exactly as given; `quality` must still be an integer 1..100 but then changes nothing. The
   * same as `cjpeg -baseline -qtables FILE` without `-quality` (or with `-quality 50`: cjpeg
   * scales `-qtables` by the quality's factor, 100% at 50 and when `-quality` is absent).
   * Default: none (the tables of `quality`).
   */
  tables?: CustomQuantizationTables;
}

// ---------------------------------------------------------------------------------------------
// Color conversion (jccolor.c rgb_ycc_start): 16-bit fixed point.

const SCALEBITS = 16;
const ONE_HALF = 1 << (SCALEBITS - 1);
const CBCR_OFFSET = 128 << SCALEBITS;
const fix = (x: number): number => Math.floor(x * (1 << SCALEBITS) + 0.5);

// ---------------------------------------------------------------------------------------------
// Forward DCT (jfdctint.c jpeg_fdct_islow) fused with quantization.

const D1 = CONST_BITS - PASS1_BITS;
const R1 = 1 << (D1 - 1);
const D2 = CONST_BITS + PASS1_BITS;
const R2 = 1 << (D2 - 1);
const RP = 1 << (PASS1_BITS - 1);

const workspace = new Int32Array(64);

/**
 * DCT of the 8x8 block of `plane` (row stride `stride`) whose top-left sample is at `pos`, then
 * quantization into `out[outPos..outPos+63]` (natural order).
 */
function fdctQuantize(
  plane: Uint8Array, pos: number, stride: number, div: Divisors, out: Int16Array, outPos: number,
): void {
  const ws = workspace;
  // Pass 1: rows (with the -128 level shift), results scaled by 2^PASS1_BITS.
  for (let row = 0, p = pos, w = 0; row < 8; row++, p += stride, w += 8) {
    const s0 = plane[p] - 128, s1 = plane[p + 1] - 128, s2 = plane[p + 2] - 128, s3 = plane[p + 3] - 128;
    const s4 = plane[p + 4] - 128, s5 = plane[p + 5] - 128, s6 = plane[p + 6] - 128, s7 = plane[p + 7] - 128;
    const tmp0 = s0 + s7, tmp7 = s0 - s7, tmp1 = s1 + s6, tmp6 = s1 - s6;
    const tmp2 = s2 + s5, tmp5 = s2 - s5, tmp3 = s3 + s4, tmp4 = s3 - s4;
    const tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
    ws[w] = (tmp10 + tmp11) << PASS1_BITS;
    ws[w + 4] = (tmp10 - tmp11) << PASS1_BITS;
    const z1e = (tmp12 + tmp13) * FIX_0_541196100;
    ws[w + 2] = (z1e + tmp13 * FIX_0_765366865 + R1) >> D1;
    ws[w + 6] = (z1e - tmp12 * FIX_1_847759065 + R1) >> D1;
    const z1 = tmp4 + tmp7, z2 = tmp5 + tmp6, z3 = tmp4 + tmp6, z4 = tmp5 + tmp7;
    const z5 = (z3 + z4) * FIX_1_175875602;
    const t4 = tmp4 * FIX_0_298631336, t5 = tmp5 * FIX_2_053119869;
    const t6 = tmp6 * FIX_3_072711026, t7 = tmp7 * FIX_1_501321110;
    const m1 = -z1 * FIX_0_899976223, m2 = -z2 * FIX_2_562915447;
    const m3 = -z3 * FIX_1_961570560 + z5, m4 = -z4 * FIX_0_390180644 + z5;
    ws[w + 7] = (t4 + m1 + m3 + R1) >> D1;
    ws[w + 5] = (t5 + m2 + m4 + R1) >> D1;
    ws[w + 3] = (t6 + m2 + m3 + R1) >> D1;
    ws[w + 1] = (t7 + m1 + m4 + R1) >> D1;
  }
  // Pass 2: columns, leaving results scaled by 8; then quantize each output without branches:
  // sg = sign mask, |x| = (x ^ sg) - sg, and `^ sg` also truncates the product to an integer.
  const corr = div.corr, scale = div.scale;
  for (let col = 0; col < 8; col++) {
    const d0 = ws[col], d1 = ws[col + 8], d2 = ws[col + 16], d3 = ws[col + 24];
    const d4 = ws[col + 32], d5 = ws[col + 40], d6 = ws[col + 48], d7 = ws[col + 56];
    const tmp0 = d0 + d7, tmp7 = d0 - d7, tmp1 = d1 + d6, tmp6 = d1 - d6;
    const tmp2 = d2 + d5, tmp5 = d2 - d5, tmp3 = d3 + d4, tmp4 = d3 - d4;
    const tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
    const z1e = (tmp12 + tmp13) * FIX_0_541196100;
    const z1 = tmp4 + tmp7, z2 = tmp5 + tmp6, z3 = tmp4 + tmp6, z4 = tmp5 + tmp7;
    const z5 = (z3 + z4) * FIX_1_175875602;
    const t4 = tmp4 * FIX_0_298631336, t5 = tmp5 * FIX_2_053119869;
    const t6 = tmp6 * FIX_3_072711026, t7 = tmp7 * FIX_1_501321110;
    const m1 = -z1 * FIX_0_899976223, m2 = -z2 * FIX_2_562915447;
    const m3 = -z3 * FIX_1_961570560 + z5, m4 = -z4 * FIX_0_390180644 + z5;
    let x: number;
    let i: number;
    let sg: number;
    i = col;
    x = (tmp10 + tmp11 + RP) >> PASS1_BITS;
    sg = x >> 31;
    out[outPos + i] = ((((x ^ sg) - sg + corr[i]) * scale[i]) ^ sg) - sg;
    i = col + 32;
    x = (tmp10 - tmp11 + RP) >> PASS1_BITS;
    sg = x >> 31;
    out[outPos + i] = ((((x ^ sg) - sg + corr[i]) * scale[i]) ^ sg) - sg;
    i = col + 16;
    x = (z1e + tmp13 * FIX_0_765366865 + R2) >> D2;
    sg = x >> 31;
    out[outPos + i] = ((((x ^ sg) - sg + corr[i]) * scale[i]) ^ sg) - sg;
    i = col + 48;
    x = (z1e - tmp12 * FIX_1_847759065 + R2) >> D2;
    sg = x >> 31;
    out[outPos + i] = ((((x ^ sg) - sg + corr[i]) * scale[i]) ^ sg) - sg;
    i = col + 56;
    x = (t4 + m1 + m3 + R2) >> D2;
    sg = x >> 31;
    out[outPos + i] = ((((x ^ sg) - sg + corr[i]) * scale[i]) ^ sg) - sg;
    i = col + 40;
    x = (t5 + m2 + m4 + R2) >> D2;
    sg = x >> 31;
    out[outPos + i] = ((((x ^ sg) - sg + corr[i]) * scale[i]) ^ sg) - sg;
    i = col + 24;
    x = (t6 + m2 + m3 + R2) >> D2;
    sg = x >> 31;
    out[outPos + i] = ((((x ^ sg) - sg + corr[i]) * scale[i]) ^ sg) - sg;
    i = col + 8;
    x = (t7 + m1 + m4 + R2) >> D2;
    sg = x >> 31;
    out[outPos + i] = ((((x ^ sg) - sg + corr[i]) * scale[i]) ^ sg) - sg;
  }
}

// ---------------------------------------------------------------------------------------------
// Sample planes (reused between calls: the forward path is synchronous).

let lumaPlane: Uint8Array = new Uint8Array(0);
let cbPlane: Uint8Array = new Uint8Array(0);
let crPlane: Uint8Array = new Uint8Array(0);
let rgbPad: Uint8Array = new Uint8Array(0);

/** Scratch planes larger than this (bytes) are dropped after the call instead of kept. */
const KEEP_SCRATCH = 1 << 22;

function releaseLargeScratch(): void {
  if (lumaPlane.length > KEEP_SCRATCH || cbPlane.length > KEEP_SCRATCH || rgbPad.length > KEEP_SCRATCH) {
    lumaPlane = new Uint8Array(0);
    cbPlane = new Uint8Array(0);
    crPlane = new Uint8Array(0);
    rgbPad = new Uint8Array(0);
  }
}

function grow(buf: Uint8Array, size: number): Uint8Array {
  return buf.length >= size ? buf : new Uint8Array(Math.max(size, buf.length * 2));
}

/** Replicates column `w - 1` of rows `0..rows-1` out to column `pw - 1`. */
function expandRight(plane: Uint8Array, stride: number, w: number, pw: number, rows: number): void {
  if (pw <= w) return;
  for (let y = 0, p = 0; y < rows; y++, p += stride) {
    plane.fill(plane[p + w - 1], p + w, p + pw);
  }
}

/** Replicates row `rows - 1` into rows `rows..totalRows-1` (first `cols` samples of each). */
function expandBottom(plane: Uint8Array, stride: number, cols: number, rows: number, totalRows: number): void {
  const src = (rows - 1) * stride;
  for (let y = rows; y < totalRows; y++) plane.copyWithin(y * stride, src, src + cols);
}

/**
 * Quantized DCT coefficients of one component from its sample plane (`stride` = blocksWide * 8),
 * with libjpeg's dummy blocks: blocks right of `realWide` copy the DC of their left neighbour,
 * block rows below `realHigh` copy the DC of the last block of the row above in the same MCU;
 * dummy blocks have zero AC coefficients.
 */
function componentCoefficients(
  plane: Uint8Array, blocksWide: number, blocksHigh: number, realWide: number, realHigh: number,
  mcuWidth: number, div: Divisors, out: Int16Array,
): Int16Array {
  const stride = blocksWide * 8;
  for (let by = 0; by < blocksHigh; by++) {
    const rowBase = by * blocksWide;
    if (by < realHigh) {
      for (let bx = 0; bx < realWide; bx++) {
        fdctQuantize(plane, by * 8 * stride + bx * 8, stride, div, out, (rowBase + bx) * 64);
      }
      for (let bx = realWide; bx < blocksWide; bx++) {
        out[(rowBase + bx) * 64] = out[(rowBase + bx - 1) * 64];
      }
    } else {
      for (let bx = 0; bx < blocksWide; bx++) {
        const last = Math.floor(bx / mcuWidth) * mcuWidth + mcuWidth - 1;
        out[(rowBase + bx) * 64] = out[(rowBase - blocksWide + last) * 64];
      }
    }
  }
  return out;
}

function subsamplingFactors(sub: ChromaSubsampling): [number, number] {
  return sub === '4:2:0' ? [2, 2] : sub === '4:2:2' ? [2, 1] : [1, 1];
}

/**
 * The quantized DCT coefficients libjpeg-turbo (Pillow) computes when it saves `image` as a
 * baseline JPEG at `quality`: everything but the entropy coding. Grayscale images give one
 * component (id 1, table 0) with 1x1 sampling, or, as Pillow does for mode `L`, the luma sampling
 * of an explicitly given `subsampling` (which changes nothing else); RGB images give Y, Cb, Cr (ids 1, 2, 3) with luma
 * sampling 2x2, 2x1 or 1x1 for `'4:2:0'` (default), `'4:2:2'`, `'4:4:4'` and chroma 1x1. The
 * quantization tables are the baseline-clamped IJG tables of `quality`, or `options.tables` as
 * given (luma table for Y, chroma table for Cb and Cr).
 *
 * Each component holds `blocksWide x blocksHigh` blocks covering whole MCUs (for grayscale the MCU
 * is one block), including libjpeg's dummy blocks at the right and bottom edges of RGB images.
 * The result is the caller's: the three coefficient arrays are views of one fresh buffer, and
 * the tables views of another (a single allocation each is measurably faster for small tiles).
 *
 * @param image - RGB or grayscale image, any size from 1x1.
 * @param quality - Integer 1..100 (Pillow's `quality`).
 * @param options - `tables` (default: those of `quality`; see {@link ForwardJpegOptions.tables}),
 *   `subsampling` (default `'4:2:0'`; for grayscale it only sets the sampling
 *   factors, 1x1 when omitted, like Pillow).
 * @example
 * const img = { width: 16, height: 16, channels: 3 as const, data: new Uint8Array(16 * 16 * 3).fill(200) };
 * const coefs = forwardJpeg(img, 75);
 * coefs.components.length; // 3
 * coefs.components[0].blocksWide; // 2
 */
export function forwardJpeg(image: Image, quality: number, options: ForwardJpegOptions = {}): JpegCoefficients {
  assertImage(image);
  checkInteger('quality', quality, 1, 100);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  checkOneOf('options.subsampling', options.subsampling ?? '4:2:0', CHROMA_SUBSAMPLINGS);
  return forwardJpegQuantized(image, jpegQuantizer(quality, options.tables), options.subsampling);
}

/**
 * {@link forwardJpeg} with the quantizer already resolved and nothing checked: what the batch
 * paths run per image. `subsampling` undefined means the default (and 1x1 for grayscale).
 * @internal
 * @example
 * const coefs = forwardJpegQuantized(img, jpegQuantizer(75), '4:2:0');
 */
export function forwardJpegQuantized(image: Image, quantizer: JpegQuantizer, subsampling: ChromaSubsampling | undefined): JpegCoefficients {
  const sub = subsampling ?? '4:2:0';
  const { width: w, height: h, data } = image;
  // copies: the result belongs to the caller, the quantizer's tables must not be modified through it
  const both = new Uint16Array(128);
  both.set(quantizer.tables.luma);
  both.set(quantizer.tables.chroma, 64);
  const tables = { luma: both.subarray(0, 64), chroma: both.subarray(64) };
  const divs = quantizer;

  if (image.channels === 1) {
    const [grayH, grayV] = subsampling === undefined ? [1, 1] : subsamplingFactors(sub);
    const bw = Math.ceil(w / 8);
    const bh = Math.ceil(h / 8);
    const pw = bw * 8;
    const ph = bh * 8;
    lumaPlane = grow(lumaPlane, pw * ph);
    const plane = lumaPlane;
    for (let y = 0; y < h; y++) plane.set(data.subarray(y * w, y * w + w), y * pw);
    expandRight(plane, pw, w, pw, h);
    expandBottom(plane, pw, pw, h, ph);
    const coefficients = componentCoefficients(plane, bw, bh, bw, bh, 1, divs.luma, new Int16Array(bw * bh * 64));
    releaseLargeScratch();
    return {
      width: w,
      height: h,
      // Pillow applies an explicit `subsampling` to the only component of an `L` image too: that
      // changes the sampling factors written in SOF, nothing else (a one-component scan codes
      // block by block). Without the option libjpeg's grayscale default is 1x1.
      components: [{ id: 1, h: grayH, v: grayV, quantTable: tables.luma, blocksWide: bw, blocksHigh: bh, coefficients }],
    };
  }

  const [hmax, vmax] = subsamplingFactors(sub);
  const mcusX = Math.ceil(w / (8 * hmax));
  const mcusY = Math.ceil(h / (8 * vmax));
  const pw = mcusX * 8 * hmax; // luma plane width (= luma blocksWide * 8)
  const ph = mcusY * 8 * vmax;
  const cw = mcusX * 8; // chroma plane width (= chroma blocksWide * 8)
  const ch = mcusY * 8;
  // Edge-replicated RGB covering whole MCUs (jcsample.c expand_right_edge repeats the last column,
  // jcprepct.c the last row): the input itself when it already covers them.
  let rgb = data;
  if (w !== pw || h !== ph) {
    rgbPad = grow(rgbPad, pw * ph * 3);
    padRgb(data, w, h, rgbPad, pw, ph);
    rgb = rgbPad;
  }
  lumaPlane = grow(lumaPlane, pw * ph);
  cbPlane = grow(cbPlane, cw * ch);
  crPlane = grow(crPlane, cw * ch);
  if (vmax === 2) {
    // h2v2: chroma rows from the image's rows (the last odd row paired with itself), then the
    // downsampled planes padded to whole MCU rows by repeating their last row (jcprepct.c).
    const chromaRows = (h + 1) >> 1;
    convertH2V2(rgb, pw, ph, chromaRows, lumaPlane, cbPlane, crPlane);
    expandBottom(cbPlane, cw, cw, chromaRows, ch);
    expandBottom(crPlane, cw, cw, chromaRows, ch);
  } else if (hmax === 2) {
    convertH2V1(rgb, pw, ph, lumaPlane, cbPlane, crPlane);
  } else {
    convertFull(rgb, pw * ph, lumaPlane, cbPlane, crPlane);
  }
  const yp = lumaPlane;

  const lumaWide = mcusX * hmax;
  const lumaHigh = mcusY * vmax;
  // one allocation for the three components (typed-array construction is costly for small tiles)
  const lumaSize = lumaWide * lumaHigh * 64;
  const chromaSize = mcusX * mcusY * 64;
  const all = new Int16Array(lumaSize + 2 * chromaSize);
  const luma: JpegComponentCoefficients = {
    id: 1, h: hmax, v: vmax, quantTable: tables.luma, blocksWide: lumaWide, blocksHigh: lumaHigh,
    coefficients: componentCoefficients(
      yp, lumaWide, lumaHigh, Math.ceil(w / 8), Math.ceil(h / 8), hmax, divs.luma, all.subarray(0, lumaSize),
    ),
  };
  const cb: JpegComponentCoefficients = {
    id: 2, h: 1, v: 1, quantTable: tables.chroma, blocksWide: mcusX, blocksHigh: mcusY,
    coefficients: componentCoefficients(
      cbPlane, mcusX, mcusY, mcusX, mcusY, 1, divs.chroma, all.subarray(lumaSize, lumaSize + chromaSize),
    ),
  };
  const cr: JpegComponentCoefficients = {
    id: 3, h: 1, v: 1, quantTable: tables.chroma, blocksWide: mcusX, blocksHigh: mcusY,
    coefficients: componentCoefficients(crPlane, mcusX, mcusY, mcusX, mcusY, 1, divs.chroma, all.subarray(lumaSize + chromaSize)),
  };
  releaseLargeScratch();
  return { width: w, height: h, components: [luma, cb, cr] };
}

/** Copies `src` (w x h x 3) into `dst` (pw x ph x 3), repeating the last column and row. */
function padRgb(src: Uint8Array, w: number, h: number, dst: Uint8Array, pw: number, ph: number): void {
  const rowBytes = w * 3;
  const padBytes = pw * 3;
  for (let y = 0; y < h; y++) {
    const o = y * padBytes;
    dst.set(src.subarray(y * rowBytes, y * rowBytes + rowBytes), o);
    const r = src[y * rowBytes + rowBytes - 3], g = src[y * rowBytes + rowBytes - 2], b = src[y * rowBytes + rowBytes - 1];
    for (let p = o + rowBytes; p < o + padBytes; p += 3) {
      dst[p] = r;
      dst[p + 1] = g;
      dst[p + 2] = b;
    }
  }
  const last = (h - 1) * padBytes;
  for (let y = h; y < ph; y++) dst.copyWithin(y * padBytes, last, last + padBytes);
}

// jccolor.c's tables hold FIX(c) * i, so these products give the same sums.
const Y_R = fix(0.299), Y_G = fix(0.587), Y_B = fix(0.114);
const CB_R = fix(0.16874), CB_G = fix(0.33126), C_HALF = fix(0.5);
const CR_G = fix(0.41869), CR_B = fix(0.08131);
const C_OFF = CBCR_OFFSET + ONE_HALF - 1;

/** RGB -> YCbCr at full resolution (4:4:4). */
function convertFull(rgb: Uint8Array, n: number, yp: Uint8Array, cbp: Uint8Array, crp: Uint8Array): void {
  for (let i = 0, s = 0; i < n; i++, s += 3) {
    const r = rgb[s], g = rgb[s + 1], b = rgb[s + 2];
    yp[i] = (Y_R * r + Y_G * g + Y_B * b + ONE_HALF) >> SCALEBITS;
    cbp[i] = (C_HALF * b - CB_R * r - CB_G * g + C_OFF) >> SCALEBITS;
    crp[i] = (C_HALF * r - CR_G * g - CR_B * b + C_OFF) >> SCALEBITS;
  }
}

/** RGB -> YCbCr with chroma averaged over horizontal pairs, bias 0,1,0,1... (jcsample.c h2v1). */
function convertH2V1(
  rgb: Uint8Array, pw: number, ph: number, yp: Uint8Array, cbp: Uint8Array, crp: Uint8Array,
): void {
  const cw = pw >> 1;
  for (let y = 0; y < ph; y++) {
    let s = y * pw * 3;
    let o = y * pw;
    let c = y * cw;
    const end = c + cw;
    let bias = 0;
    for (; c < end; c++, o += 2, s += 6) {
      const r0 = rgb[s], g0 = rgb[s + 1], b0 = rgb[s + 2];
      const r1 = rgb[s + 3], g1 = rgb[s + 4], b1 = rgb[s + 5];
      yp[o] = (Y_R * r0 + Y_G * g0 + Y_B * b0 + ONE_HALF) >> SCALEBITS;
      yp[o + 1] = (Y_R * r1 + Y_G * g1 + Y_B * b1 + ONE_HALF) >> SCALEBITS;
      const cb = ((C_HALF * b0 - CB_R * r0 - CB_G * g0 + C_OFF) >> SCALEBITS)
        + ((C_HALF * b1 - CB_R * r1 - CB_G * g1 + C_OFF) >> SCALEBITS);
      const cr = ((C_HALF * r0 - CR_G * g0 - CR_B * b0 + C_OFF) >> SCALEBITS)
        + ((C_HALF * r1 - CR_G * g1 - CR_B * b1 + C_OFF) >> SCALEBITS);
      cbp[c] = (cb + bias) >> 1;
      crp[c] = (cr + bias) >> 1;
      bias ^= 1;
    }
  }
}

/**
 * RGB -> YCbCr with chroma averaged over 2x2 squares, bias 1,2,1,2... (jcsample.c h2v2), for the
 * first `chromaRows` chroma rows; luma for all `ph` rows.
 */
function convertH2V2(
  rgb: Uint8Array, pw: number, ph: number, chromaRows: number, yp: Uint8Array, cbp: Uint8Array, crp: Uint8Array,
): void {
  const cw = pw >> 1;
  const stride = pw * 3;
  for (let k = 0; k < chromaRows; k++) {
    let s = 2 * k * stride;
    let o = 2 * k * pw;
    let c = k * cw;
    const end = c + cw;
    let bias = 1;
    for (; c < end; c++, o += 2, s += 6) {
      const t = s + stride;
      const r0 = rgb[s], g0 = rgb[s + 1], b0 = rgb[s + 2];
      const r1 = rgb[s + 3], g1 = rgb[s + 4], b1 = rgb[s + 5];
      const r2 = rgb[t], g2 = rgb[t + 1], b2 = rgb[t + 2];
      const r3 = rgb[t + 3], g3 = rgb[t + 4], b3 = rgb[t + 5];
      yp[o] = (Y_R * r0 + Y_G * g0 + Y_B * b0 + ONE_HALF) >> SCALEBITS;
      yp[o + 1] = (Y_R * r1 + Y_G * g1 + Y_B * b1 + ONE_HALF) >> SCALEBITS;
      yp[o + pw] = (Y_R * r2 + Y_G * g2 + Y_B * b2 + ONE_HALF) >> SCALEBITS;
      yp[o + pw + 1] = (Y_R * r3 + Y_G * g3 + Y_B * b3 + ONE_HALF) >> SCALEBITS;
      const cb = ((C_HALF * b0 - CB_R * r0 - CB_G * g0 + C_OFF) >> SCALEBITS)
        + ((C_HALF * b1 - CB_R * r1 - CB_G * g1 + C_OFF) >> SCALEBITS)
        + ((C_HALF * b2 - CB_R * r2 - CB_G * g2 + C_OFF) >> SCALEBITS)
        + ((C_HALF * b3 - CB_R * r3 - CB_G * g3 + C_OFF) >> SCALEBITS);
      const cr = ((C_HALF * r0 - CR_G * g0 - CR_B * b0 + C_OFF) >> SCALEBITS)
        + ((C_HALF * r1 - CR_G * g1 - CR_B * b1 + C_OFF) >> SCALEBITS)
        + ((C_HALF * r2 - CR_G * g2 - CR_B * b2 + C_OFF) >> SCALEBITS)
        + ((C_HALF * r3 - CR_G * g3 - CR_B * b3 + C_OFF) >> SCALEBITS);
      cbp[c] = (cb + bias) >> 2;
      crp[c] = (cr + bias) >> 2;
      bias ^= 3;
    }
  }
  // luma of the padding rows below the last chroma row pair
  for (let y = 2 * chromaRows, o = y * pw, s = y * stride; y < ph; y++) {
    for (const end = o + pw; o < end; o++, s += 3) {
      yp[o] = (Y_R * rgb[s] + Y_G * rgb[s + 1] + Y_B * rgb[s + 2] + ONE_HALF) >> SCALEBITS;
    }
  }
}
