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
import { cachedTables } from './quantization.js';

/** Chroma subsampling of an RGB JPEG: Pillow's `subsampling=2 | 1 | 0`. */
export type ChromaSubsampling = '4:2:0' | '4:2:2' | '4:4:4';

/** The allowed values of {@link ChromaSubsampling}. */
export const CHROMA_SUBSAMPLINGS: readonly ChromaSubsampling[] = Object.freeze(['4:2:0', '4:2:2', '4:4:4']);

/** Options of {@link forwardJpeg} and `encodeJpeg`. */
export interface ForwardJpegOptions {
  /**
   * Chroma subsampling of RGB images (ignored for grayscale): `'4:2:0'` (default, Pillow's and
   * libjpeg's default: luma sampled 2x2), `'4:2:2'` (2x1) or `'4:4:4'` (1x1).
   */
  subsampling?: ChromaSubsampling;
}

// ---------------------------------------------------------------------------------------------
// Color conversion tables (jccolor.c rgb_ycc_start): 16-bit fixed point.

const SCALEBITS = 16;
const ONE_HALF = 1 << (SCALEBITS - 1);
const CBCR_OFFSET = 128 << SCALEBITS;
const fix = (x: number): number => Math.floor(x * (1 << SCALEBITS) + 0.5);

/** 8 tables of 256: R->Y, G->Y, B->Y, R->Cb, G->Cb, B->Cb (= R->Cr), G->Cr, B->Cr. */
const RGB_YCC = buildColorTables();
const R_Y = 0;
const G_Y = 256;
const B_Y = 512;
const R_CB = 768;
const G_CB = 1024;
const B_CB = 1280;
const R_CR = B_CB;
const G_CR = 1536;
const B_CR = 1792;

function buildColorTables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    t[i] = fix(0.299) * i;
    t[256 + i] = fix(0.587) * i;
    t[512 + i] = fix(0.114) * i + ONE_HALF;
    t[768 + i] = -fix(0.16874) * i;
    t[1024 + i] = -fix(0.33126) * i;
    // rounding fudge 0.5 - epsilon keeps the maximum at 255
    t[1280 + i] = fix(0.5) * i + CBCR_OFFSET + ONE_HALF - 1;
    t[1536 + i] = -fix(0.41869) * i;
    t[1792 + i] = -fix(0.08131) * i;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Quantization divisors (jcdctmgr.c compute_reciprocal, 16-bit DCTELEM as in SIMD builds).

/**
 * For each of the 64 natural-order entries: reciprocal, correction (rounding term) and total
 * right shift, so that `q = ((|x| + corr) * recip) >> shift`, sign restored.
 */
interface Divisors {
  recip: Int32Array;
  corr: Int32Array;
  shift: Int32Array;
}

function computeDivisors(table: Uint16Array): Divisors {
  const recip = new Int32Array(64);
  const corr = new Int32Array(64);
  const shift = new Int32Array(64);
  for (let i = 0; i < 64; i++) {
    const divisor = (table[i] << 3) & 0xffff; // UINT16 argument in C
    if (divisor <= 1) {
      // identity (only reachable with divisor 1, which an 8x-scaled table never gives)
      recip[i] = 1;
      corr[i] = 0;
      shift[i] = 0;
      continue;
    }
    const b = 31 - Math.clz32(divisor); // flss(divisor) - 1
    let r = 16 + b;
    const pow = 2 ** r;
    let fq = Math.floor(pow / divisor);
    const fr = pow - fq * divisor;
    let c = divisor >> 1;
    if (fr === 0) {
      fq >>= 1;
      r--;
    } else if (fr <= divisor >> 1) {
      c++;
    } else {
      fq++;
    }
    recip[i] = fq & 0xffff;
    corr[i] = c & 0xffff;
    shift[i] = r;
  }
  return { recip, corr, shift };
}

const divisorCache = new Map<number, { luma: Divisors; chroma: Divisors }>();

function divisorsFor(quality: number): { luma: Divisors; chroma: Divisors } {
  let d = divisorCache.get(quality);
  if (d === undefined) {
    const t = cachedTables(quality, true);
    d = { luma: computeDivisors(t.luma), chroma: computeDivisors(t.chroma) };
    divisorCache.set(quality, d);
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Forward DCT (jfdctint.c jpeg_fdct_islow) fused with quantization.

const CONST_BITS = 13;
const PASS1_BITS = 2;
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;
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
  // Pass 2: columns, leaving results scaled by 8; then quantize each output.
  const recip = div.recip, corr = div.corr, shift = div.shift;
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
    i = col;
    x = (tmp10 + tmp11 + RP) >> PASS1_BITS;
    out[outPos + i] = x < 0 ? -(((corr[i] - x) * recip[i]) >>> shift[i]) : ((x + corr[i]) * recip[i]) >>> shift[i];
    i = col + 32;
    x = (tmp10 - tmp11 + RP) >> PASS1_BITS;
    out[outPos + i] = x < 0 ? -(((corr[i] - x) * recip[i]) >>> shift[i]) : ((x + corr[i]) * recip[i]) >>> shift[i];
    i = col + 16;
    x = (z1e + tmp13 * FIX_0_765366865 + R2) >> D2;
    out[outPos + i] = x < 0 ? -(((corr[i] - x) * recip[i]) >>> shift[i]) : ((x + corr[i]) * recip[i]) >>> shift[i];
    i = col + 48;
    x = (z1e - tmp12 * FIX_1_847759065 + R2) >> D2;
    out[outPos + i] = x < 0 ? -(((corr[i] - x) * recip[i]) >>> shift[i]) : ((x + corr[i]) * recip[i]) >>> shift[i];
    i = col + 56;
    x = (t4 + m1 + m3 + R2) >> D2;
    out[outPos + i] = x < 0 ? -(((corr[i] - x) * recip[i]) >>> shift[i]) : ((x + corr[i]) * recip[i]) >>> shift[i];
    i = col + 40;
    x = (t5 + m2 + m4 + R2) >> D2;
    out[outPos + i] = x < 0 ? -(((corr[i] - x) * recip[i]) >>> shift[i]) : ((x + corr[i]) * recip[i]) >>> shift[i];
    i = col + 24;
    x = (t6 + m2 + m3 + R2) >> D2;
    out[outPos + i] = x < 0 ? -(((corr[i] - x) * recip[i]) >>> shift[i]) : ((x + corr[i]) * recip[i]) >>> shift[i];
    i = col + 8;
    x = (t7 + m1 + m4 + R2) >> D2;
    out[outPos + i] = x < 0 ? -(((corr[i] - x) * recip[i]) >>> shift[i]) : ((x + corr[i]) * recip[i]) >>> shift[i];
  }
}

// ---------------------------------------------------------------------------------------------
// Sample planes (reused between calls: the forward path is synchronous).

let lumaPlane: Uint8Array = new Uint8Array(0);
let cbPlane: Uint8Array = new Uint8Array(0);
let crPlane: Uint8Array = new Uint8Array(0);
let cbFull: Uint8Array = new Uint8Array(0);
let crFull: Uint8Array = new Uint8Array(0);

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
  mcuWidth: number, div: Divisors,
): Int16Array {
  const out = new Int16Array(blocksWide * blocksHigh * 64);
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
 * component (id 1, 1x1 sampling, table 0); RGB images give Y, Cb, Cr (ids 1, 2, 3) with luma
 * sampling 2x2, 2x1 or 1x1 for `'4:2:0'` (default), `'4:2:2'`, `'4:4:4'` and chroma 1x1. The
 * quantization tables are the baseline-clamped IJG tables of `quality` (luma table for Y, chroma
 * table for Cb and Cr).
 *
 * Each component holds `blocksWide x blocksHigh` blocks covering whole MCUs (for grayscale the MCU
 * is one block), including libjpeg's dummy blocks at the right and bottom edges of RGB images.
 *
 * @param image - RGB or grayscale image, any size from 1x1.
 * @param quality - Integer 1..100 (Pillow's `quality`).
 * @param options - `subsampling` (default `'4:2:0'`, ignored for grayscale).
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
  const sub = checkOneOf('options.subsampling', options.subsampling ?? '4:2:0', CHROMA_SUBSAMPLINGS);
  const { width: w, height: h, data } = image;
  const tables = cachedTables(quality, true);
  const divs = divisorsFor(quality);

  if (image.channels === 1) {
    const bw = Math.ceil(w / 8);
    const bh = Math.ceil(h / 8);
    const pw = bw * 8;
    const ph = bh * 8;
    lumaPlane = grow(lumaPlane, pw * ph);
    const plane = lumaPlane;
    for (let y = 0; y < h; y++) plane.set(data.subarray(y * w, y * w + w), y * pw);
    expandRight(plane, pw, w, pw, h);
    expandBottom(plane, pw, pw, h, ph);
    return {
      width: w,
      height: h,
      components: [{
        id: 1, h: 1, v: 1, quantTable: tables.luma, blocksWide: bw, blocksHigh: bh,
        coefficients: componentCoefficients(plane, bw, bh, bw, bh, 1, divs.luma),
      }],
    };
  }

  const [hmax, vmax] = subsamplingFactors(sub);
  const mcusX = Math.ceil(w / (8 * hmax));
  const mcusY = Math.ceil(h / (8 * vmax));
  const pw = mcusX * 8 * hmax; // luma plane width (= luma blocksWide * 8)
  const ph = mcusY * 8 * vmax;
  const cw = mcusX * 8; // chroma plane width (= chroma blocksWide * 8)
  const ch = mcusY * 8;
  lumaPlane = grow(lumaPlane, pw * ph);
  const yp = lumaPlane;
  const full = hmax === 1 && vmax === 1;
  // Full-resolution chroma: straight into the chroma planes for 4:4:4, else scratch planes.
  const fullRows = vmax === 2 ? h + (h & 1) : h;
  if (full) {
    cbPlane = grow(cbPlane, pw * ph);
    crPlane = grow(crPlane, pw * ph);
  } else {
    cbFull = grow(cbFull, pw * fullRows);
    crFull = grow(crFull, pw * fullRows);
    cbPlane = grow(cbPlane, cw * ch);
    crPlane = grow(crPlane, cw * ch);
  }
  const cbf = full ? cbPlane : cbFull;
  const crf = full ? crPlane : crFull;
  const t = RGB_YCC;
  for (let y = 0; y < h; y++) {
    let s = y * w * 3;
    let o = y * pw;
    const end = o + w;
    for (; o < end; o++, s += 3) {
      const r = data[s], g = data[s + 1], b = data[s + 2];
      yp[o] = (t[R_Y + r] + t[G_Y + g] + t[B_Y + b]) >> SCALEBITS;
      cbf[o] = (t[R_CB + r] + t[G_CB + g] + t[B_CB + b]) >> SCALEBITS;
      crf[o] = (t[R_CR + r] + t[G_CR + g] + t[B_CR + b]) >> SCALEBITS;
    }
  }
  expandRight(yp, pw, w, pw, h);
  expandBottom(yp, pw, pw, h, ph);
  expandRight(cbf, pw, w, pw, h);
  expandRight(crf, pw, w, pw, h);
  if (full) {
    expandBottom(cbf, pw, pw, h, ph);
    expandBottom(crf, pw, pw, h, ph);
  } else if (vmax === 2) {
    // jcprepct.c pads the last row group to 2 rows; jcsample.c h2v2 averages 2x2 with bias 1,2,1,2...
    expandBottom(cbf, pw, pw, h, fullRows);
    expandBottom(crf, pw, pw, h, fullRows);
    const outRows = fullRows >> 1;
    downsampleH2V2(cbf, cbPlane, pw, cw, outRows);
    downsampleH2V2(crf, crPlane, pw, cw, outRows);
    // then pads the downsampled planes to whole MCU rows by repeating their last row
    expandBottom(cbPlane, cw, cw, outRows, ch);
    expandBottom(crPlane, cw, cw, outRows, ch);
  } else {
    // h2v1: pairs with bias 0,1,0,1...
    downsampleH2V1(cbf, cbPlane, pw, cw, h);
    downsampleH2V1(crf, crPlane, pw, cw, h);
    expandBottom(cbPlane, cw, cw, h, ch);
    expandBottom(crPlane, cw, cw, h, ch);
  }

  const lumaWide = mcusX * hmax;
  const lumaHigh = mcusY * vmax;
  const luma: JpegComponentCoefficients = {
    id: 1, h: hmax, v: vmax, quantTable: tables.luma, blocksWide: lumaWide, blocksHigh: lumaHigh,
    coefficients: componentCoefficients(yp, lumaWide, lumaHigh, Math.ceil(w / 8), Math.ceil(h / 8), hmax, divs.luma),
  };
  const cb: JpegComponentCoefficients = {
    id: 2, h: 1, v: 1, quantTable: tables.chroma, blocksWide: mcusX, blocksHigh: mcusY,
    coefficients: componentCoefficients(cbPlane, mcusX, mcusY, mcusX, mcusY, 1, divs.chroma),
  };
  const cr: JpegComponentCoefficients = {
    id: 3, h: 1, v: 1, quantTable: tables.chroma, blocksWide: mcusX, blocksHigh: mcusY,
    coefficients: componentCoefficients(crPlane, mcusX, mcusY, mcusX, mcusY, 1, divs.chroma),
  };
  return { width: w, height: h, components: [luma, cb, cr] };
}

function downsampleH2V2(src: Uint8Array, dst: Uint8Array, srcStride: number, cols: number, rows: number): void {
  for (let y = 0; y < rows; y++) {
    let p0 = 2 * y * srcStride;
    let p1 = p0 + srcStride;
    let o = y * cols;
    const end = o + cols;
    let bias = 1;
    for (; o < end; o++, p0 += 2, p1 += 2) {
      dst[o] = (src[p0] + src[p0 + 1] + src[p1] + src[p1 + 1] + bias) >> 2;
      bias ^= 3;
    }
  }
}

function downsampleH2V1(src: Uint8Array, dst: Uint8Array, srcStride: number, cols: number, rows: number): void {
  for (let y = 0; y < rows; y++) {
    let p = y * srcStride;
    let o = y * cols;
    const end = o + cols;
    let bias = 0;
    for (; o < end; o++, p += 2) {
      dst[o] = (src[p] + src[p + 1] + bias) >> 1;
      bias ^= 1;
    }
  }
}
