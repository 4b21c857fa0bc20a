/**
 * The inverse half of JPEG: quantized DCT coefficients to pixels, bit-exact with the path
 * libjpeg-turbo 2.1.5 takes by default (and so with Pillow's `Image.open(...)` of a JPEG file):
 *
 * - dequantization and the "islow" integer inverse DCT of `jidctint.c` (with its output range
 *   limiting, including the wrap-around of out-of-range values that its 1024-entry table does);
 * - "fancy" (triangle-filter) upsampling of `jdsample.c`: h2v1 and h2v2 when the downsampled
 *   component is more than 2 samples wide, h1v2 always, box replication otherwise; edges
 *   replicate the last real sample row and column, as `jdmainct.c` arranges. libjpeg-turbo uses
 *   merged upsampling only when fancy upsampling is off (`jdmaster.c`, `use_merged_upsample`),
 *   which it is not by default, so merged upsampling is not implemented;
 * - the fixed-point YCbCr to RGB conversion of `jdcolor.c` (16-bit fractions, table based).
 *
 * The hot path (32x32 4:2:0 tiles) uses precomputed tables and module-level scratch buffers:
 * no allocation per block or per row.
 */
import type { JpegCoefficients, JpegComponentCoefficients } from './coefficients.js';
import { MAX_IMAGE_SIDE, type Image } from './image.js';
import { describe } from '../util/checks.js';
import { ISLOW } from './islow-constants.js';

// Constants of jidctint.c (CONST_BITS = 13, PASS1_BITS = 2), as local `const`s: module-level
// consts fold into optimized code, imported bindings may not.
const {
  FIX_0_298631336, FIX_0_390180644, FIX_0_541196100, FIX_0_765366865, FIX_0_899976223, FIX_1_175875602,
  FIX_1_501321110, FIX_1_847759065, FIX_1_961570560, FIX_2_053119869, FIX_2_562915447, FIX_3_072711026,
} = ISLOW;

/**
 * Output stage of the IDCT: `SAT[x + 8192]` = clamp(x + 128, 0, 255) for every x an int32 `>> 18`
 * can give. libjpeg-turbo's SIMD IDCTs (which Pillow runs on x86-64) saturate here; the plain C
 * code (`range_limit[x & 1023]`) agrees for x in -512..511, i.e. for every valid file.
 */
const SAT = new Uint8Array(16384);
for (let i = 0; i < 16384; i++) SAT[i] = Math.min(255, Math.max(0, i - 8192 + 128));

// YCbCr -> RGB tables of jdcolor.c (SCALEBITS = 16).
const CR_R = new Int32Array(256);
const CB_B = new Int32Array(256);
const CR_G = new Int32Array(256);
const CB_G = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  const x = i - 128;
  CR_R[i] = (91881 * x + 32768) >> 16; // FIX(1.40200)
  CB_B[i] = (116130 * x + 32768) >> 16; // FIX(1.77200)
  CR_G[i] = -46802 * x; // -FIX(0.71414)
  CB_G[i] = -22554 * x + 32768; // -FIX(0.34414), plus ONE_HALF
}
/** Clamp table for color conversion: index y + offset + 384 covers every possible sum. */
const CLAMP = new Uint8Array(1024);
for (let i = 0; i < 1024; i++) CLAMP[i] = i < 384 ? 0 : i > 384 + 255 ? 255 : i - 384;

const workspace = new Int32Array(64);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Two's-complement wrap to 16 bits (SIMD word arithmetic). */
function wrap16(x: number): number {
  return (x << 16) >> 16;
}
/** Signed saturation to 16 bits (SIMD `packssdw`). */
function sat16(x: number): number {
  return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

/**
 * Dequantizes and inverse-transforms one 8x8 block as libjpeg-turbo's "islow" IDCT
 * (`jpeg_idct_islow` of jidctint.c, and its SSE2/AVX2 twins, which Pillow runs on x86-64),
 * writing 8 rows of 8 samples at `out[outOff + row * stride]`. `q` holds the quantization table
 * as libjpeg's decoder stores it (16-bit signed).
 *
 * For every valid file the C and SIMD versions agree. They part only on damaged data whose
 * values overflow 16-bit arithmetic; there this follows the SIMD code (16-bit dequantization and
 * sums, saturating stores), so that decoded pixels match Pillow's on x86-64 even then. The fast
 * path below covers blocks whose dequantized values stay under 8192 (no intermediate can
 * overflow); others take {@link idctIslowWide}.
 */
function idctIslow(coef: Int16Array, off: number, q: Int16Array, out: Uint8Array, outOff: number, stride: number): void {
  // Blocks with only a DC term (common at low qualities) are flat: the value the full IDCT
  // gives (SIMD whole-block shortcut, then a zero row in pass 2).
  let k = off + 1;
  const end = off + 64;
  while (k < end && coef[k] === 0) k++;
  if (k === end) {
    const v = SAT[((wrap16(wrap16(Math.imul(coef[off], q[0])) << 2) + 16) >> 5) + 8192];
    for (let o = outOff, r = 0; r < 8; r++, o += stride) {
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
      out[o + 3] = v;
      out[o + 4] = v;
      out[o + 5] = v;
      out[o + 6] = v;
      out[o + 7] = v;
    }
    return;
  }
  const ws = workspace;
  let big = false;
  // Pass 1: columns.
  for (let c = 0; c < 8; c++) {
    const i = off + c;
    const d0 = Math.imul(coef[i], q[c]);
    const c1 = coef[i + 8];
    const c2 = coef[i + 16];
    const c3 = coef[i + 24];
    const c4 = coef[i + 32];
    const c5 = coef[i + 40];
    const c6 = coef[i + 48];
    const c7 = coef[i + 56];
    if ((c1 | c2 | c3 | c4 | c5 | c6 | c7) === 0) {
      if ((d0 ^ (d0 >> 31)) >= 8192) return idctIslowWide(coef, off, q, out, outOff, stride);
      const dc = d0 << 2;
      ws[c] = dc;
      ws[c + 8] = dc;
      ws[c + 16] = dc;
      ws[c + 24] = dc;
      ws[c + 32] = dc;
      ws[c + 40] = dc;
      ws[c + 48] = dc;
      ws[c + 56] = dc;
      if ((dc ^ (dc >> 31)) >= 16384) big = true;
      continue;
    }
    let o0: number, o1: number, o2: number, o3: number, o4: number, o5: number, o6: number, o7: number;
    if ((c4 | c5 | c6 | c7) === 0) {
      // Same formulas with d4..d7 = 0 (common after quantization): fewer multiplications.
      const d1 = Math.imul(c1, q[c + 8]);
      const d2 = Math.imul(c2, q[c + 16]);
      const d3 = Math.imul(c3, q[c + 24]);
      const m = (d0 ^ (d0 >> 31)) | (d1 ^ (d1 >> 31)) | (d2 ^ (d2 >> 31)) | (d3 ^ (d3 >> 31));
      if (m >= 8192) return idctIslowWide(coef, off, q, out, outOff, stride);
      const z1 = Math.imul(d2, FIX_0_541196100);
      const t3 = (z1 + Math.imul(d2, FIX_0_765366865)) | 0;
      const t0 = d0 << 13;
      const t10 = (t0 + t3) | 0;
      const t13 = (t0 - t3) | 0;
      const t11 = (t0 + z1) | 0;
      const t12 = (t0 - z1) | 0;
      const z5 = Math.imul(d3 + d1, FIX_1_175875602);
      const zo1 = Math.imul(d1, -FIX_0_899976223);
      const zo2 = Math.imul(d3, -FIX_2_562915447);
      const zo3 = (Math.imul(d3, -FIX_1_961570560) + z5) | 0;
      const zo4 = (Math.imul(d1, -FIX_0_390180644) + z5) | 0;
      const p0 = (zo1 + zo3) | 0;
      const p1 = (zo2 + zo4) | 0;
      const p2 = (Math.imul(d3, FIX_3_072711026) + zo2 + zo3) | 0;
      const p3 = (Math.imul(d1, FIX_1_501321110) + zo1 + zo4) | 0;
      o0 = (t10 + p3 + 1024) >> 11;
      o7 = (t10 - p3 + 1024) >> 11;
      o1 = (t11 + p2 + 1024) >> 11;
      o6 = (t11 - p2 + 1024) >> 11;
      o2 = (t12 + p1 + 1024) >> 11;
      o5 = (t12 - p1 + 1024) >> 11;
      o3 = (t13 + p0 + 1024) >> 11;
      o4 = (t13 - p0 + 1024) >> 11;
    } else {
      const d1 = Math.imul(c1, q[c + 8]);
      const d2 = Math.imul(c2, q[c + 16]);
      const d3 = Math.imul(c3, q[c + 24]);
      const d4 = Math.imul(c4, q[c + 32]);
      const d5 = Math.imul(c5, q[c + 40]);
      const d6 = Math.imul(c6, q[c + 48]);
      const d7 = Math.imul(c7, q[c + 56]);
      // With every |d| < 8192, 16-bit dequantization and sums are exact and no 32-bit
      // intermediate overflows (worst case 178219 * 8192 < 2^31).
      const m =
        (d0 ^ (d0 >> 31)) | (d1 ^ (d1 >> 31)) | (d2 ^ (d2 >> 31)) | (d3 ^ (d3 >> 31)) |
        (d4 ^ (d4 >> 31)) | (d5 ^ (d5 >> 31)) | (d6 ^ (d6 >> 31)) | (d7 ^ (d7 >> 31));
      if (m >= 8192) return idctIslowWide(coef, off, q, out, outOff, stride);
      // Even part.
      let z1 = (d2 + d6) * FIX_0_541196100;
      let tmp2 = z1 - d6 * FIX_1_847759065;
      let tmp3 = z1 + d2 * FIX_0_765366865;
      let tmp0 = (d0 + d4) << 13;
      let tmp1 = (d0 - d4) << 13;
      const tmp10 = tmp0 + tmp3;
      const tmp13 = tmp0 - tmp3;
      const tmp11 = tmp1 + tmp2;
      const tmp12 = tmp1 - tmp2;
      // Odd part.
      z1 = d7 + d1;
      let z2 = d5 + d3;
      let z3 = d7 + d3;
      let z4 = d5 + d1;
      const z5 = (z3 + z4) * FIX_1_175875602;
      tmp0 = d7 * FIX_0_298631336;
      tmp1 = d5 * FIX_2_053119869;
      tmp2 = d3 * FIX_3_072711026;
      tmp3 = d1 * FIX_1_501321110;
      z1 = -z1 * FIX_0_899976223;
      z2 = -z2 * FIX_2_562915447;
      z3 = -z3 * FIX_1_961570560 + z5;
      z4 = -z4 * FIX_0_390180644 + z5;
      tmp0 += z1 + z3;
      tmp1 += z2 + z4;
      tmp2 += z2 + z3;
      tmp3 += z1 + z4;
      o0 = (tmp10 + tmp3 + 1024) >> 11;
      o7 = (tmp10 - tmp3 + 1024) >> 11;
      o1 = (tmp11 + tmp2 + 1024) >> 11;
      o6 = (tmp11 - tmp2 + 1024) >> 11;
      o2 = (tmp12 + tmp1 + 1024) >> 11;
      o5 = (tmp12 - tmp1 + 1024) >> 11;
      o3 = (tmp13 + tmp0 + 1024) >> 11;
      o4 = (tmp13 - tmp0 + 1024) >> 11;
    }
    if (((o0 + 16384) | (o1 + 16384) | (o2 + 16384) | (o3 + 16384) | (o4 + 16384) | (o5 + 16384) | (o6 + 16384) | (o7 + 16384)) >>> 15 !== 0) {
      // Some |value| >= 16384: pass 2 must wrap its 16-bit sums (and pass 1 saturate).
      big = true;
      ws[c] = sat16(o0);
      ws[c + 8] = sat16(o1);
      ws[c + 16] = sat16(o2);
      ws[c + 24] = sat16(o3);
      ws[c + 32] = sat16(o4);
      ws[c + 40] = sat16(o5);
      ws[c + 48] = sat16(o6);
      ws[c + 56] = sat16(o7);
      continue;
    }
    ws[c] = o0;
    ws[c + 8] = o1;
    ws[c + 16] = o2;
    ws[c + 24] = o3;
    ws[c + 32] = o4;
    ws[c + 40] = o5;
    ws[c + 48] = o6;
    ws[c + 56] = o7;
  }
  if (big) {
    idctPass2(ws, out, outOff, stride);
    return;
  }
  // Pass 2: rows (values < 16384: 16-bit sums cannot wrap). 32-bit sums wrap as in SIMD, which
  // leaves the bits that reach the output the same as libjpeg's 64-bit C arithmetic.
  const R = SAT;
  for (let r = 0; r < 64; r += 8) {
    const o = outOff + (r >> 3) * stride;
    const w0 = ws[r];
    const w1 = ws[r + 1];
    const w2 = ws[r + 2];
    const w3 = ws[r + 3];
    const w4 = ws[r + 4];
    const w5 = ws[r + 5];
    const w6 = ws[r + 6];
    const w7 = ws[r + 7];
    if ((w1 | w2 | w3 | w4 | w5 | w6 | w7) === 0) {
      const v = R[((w0 + 16) >> 5) + 8192];
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
      out[o + 3] = v;
      out[o + 4] = v;
      out[o + 5] = v;
      out[o + 6] = v;
      out[o + 7] = v;
      continue;
    }
    if ((w2 | w3 | w4 | w5 | w6 | w7) === 0) {
      // The formulas below with w2..w7 = 0 as well: the even part is w0 << 13 throughout.
      const t0 = w0 << 13;
      const z5 = Math.imul(w1, FIX_1_175875602);
      const zo1 = Math.imul(w1, -FIX_0_899976223);
      const zo4 = (Math.imul(w1, -FIX_0_390180644) + z5) | 0;
      const p0 = (zo1 + z5) | 0;
      const p3 = (Math.imul(w1, FIX_1_501321110) + zo1 + zo4) | 0;
      out[o] = R[((t0 + p3 + 131072) >> 18) + 8192];
      out[o + 7] = R[((t0 - p3 + 131072) >> 18) + 8192];
      out[o + 1] = R[((t0 + z5 + 131072) >> 18) + 8192];
      out[o + 6] = R[((t0 - z5 + 131072) >> 18) + 8192];
      out[o + 2] = R[((t0 + zo4 + 131072) >> 18) + 8192];
      out[o + 5] = R[((t0 - zo4 + 131072) >> 18) + 8192];
      out[o + 3] = R[((t0 + p0 + 131072) >> 18) + 8192];
      out[o + 4] = R[((t0 - p0 + 131072) >> 18) + 8192];
      continue;
    }
    if ((w4 | w5 | w6 | w7) === 0) {
      // Same formulas with w4..w7 = 0 (common after quantization): fewer multiplications.
      const z1 = Math.imul(w2, FIX_0_541196100);
      const t3 = (z1 + Math.imul(w2, FIX_0_765366865)) | 0;
      const t0 = w0 << 13;
      const t10 = (t0 + t3) | 0;
      const t13 = (t0 - t3) | 0;
      const t11 = (t0 + z1) | 0;
      const t12 = (t0 - z1) | 0;
      const z5 = Math.imul(w3 + w1, FIX_1_175875602);
      const zo1 = Math.imul(w1, -FIX_0_899976223);
      const zo2 = Math.imul(w3, -FIX_2_562915447);
      const zo3 = (Math.imul(w3, -FIX_1_961570560) + z5) | 0;
      const zo4 = (Math.imul(w1, -FIX_0_390180644) + z5) | 0;
      const p0 = (zo1 + zo3) | 0;
      const p1 = (zo2 + zo4) | 0;
      const p2 = (Math.imul(w3, FIX_3_072711026) + zo2 + zo3) | 0;
      const p3 = (Math.imul(w1, FIX_1_501321110) + zo1 + zo4) | 0;
      out[o] = R[((t10 + p3 + 131072) >> 18) + 8192];
      out[o + 7] = R[((t10 - p3 + 131072) >> 18) + 8192];
      out[o + 1] = R[((t11 + p2 + 131072) >> 18) + 8192];
      out[o + 6] = R[((t11 - p2 + 131072) >> 18) + 8192];
      out[o + 2] = R[((t12 + p1 + 131072) >> 18) + 8192];
      out[o + 5] = R[((t12 - p1 + 131072) >> 18) + 8192];
      out[o + 3] = R[((t13 + p0 + 131072) >> 18) + 8192];
      out[o + 4] = R[((t13 - p0 + 131072) >> 18) + 8192];
      continue;
    }
    let z1 = Math.imul(w2 + w6, FIX_0_541196100);
    let tmp2 = (z1 - Math.imul(w6, FIX_1_847759065)) | 0;
    let tmp3 = (z1 + Math.imul(w2, FIX_0_765366865)) | 0;
    let tmp0 = (w0 + w4) << 13;
    let tmp1 = (w0 - w4) << 13;
    const tmp10 = (tmp0 + tmp3) | 0;
    const tmp13 = (tmp0 - tmp3) | 0;
    const tmp11 = (tmp1 + tmp2) | 0;
    const tmp12 = (tmp1 - tmp2) | 0;
    z1 = w7 + w1;
    let z2 = w5 + w3;
    let z3 = w7 + w3;
    let z4 = w5 + w1;
    const z5 = Math.imul(z3 + z4, FIX_1_175875602);
    tmp0 = Math.imul(w7, FIX_0_298631336);
    tmp1 = Math.imul(w5, FIX_2_053119869);
    tmp2 = Math.imul(w3, FIX_3_072711026);
    tmp3 = Math.imul(w1, FIX_1_501321110);
    z1 = Math.imul(z1, -FIX_0_899976223);
    z2 = Math.imul(z2, -FIX_2_562915447);
    z3 = (Math.imul(z3, -FIX_1_961570560) + z5) | 0;
    z4 = (Math.imul(z4, -FIX_0_390180644) + z5) | 0;
    tmp0 = (tmp0 + z1 + z3) | 0;
    tmp1 = (tmp1 + z2 + z4) | 0;
    tmp2 = (tmp2 + z2 + z3) | 0;
    tmp3 = (tmp3 + z1 + z4) | 0;
    out[o] = R[((tmp10 + tmp3 + 131072) >> 18) + 8192];
    out[o + 7] = R[((tmp10 - tmp3 + 131072) >> 18) + 8192];
    out[o + 1] = R[((tmp11 + tmp2 + 131072) >> 18) + 8192];
    out[o + 6] = R[((tmp11 - tmp2 + 131072) >> 18) + 8192];
    out[o + 2] = R[((tmp12 + tmp1 + 131072) >> 18) + 8192];
    out[o + 5] = R[((tmp12 - tmp1 + 131072) >> 18) + 8192];
    out[o + 3] = R[((tmp13 + tmp0 + 131072) >> 18) + 8192];
    out[o + 4] = R[((tmp13 - tmp0 + 131072) >> 18) + 8192];
  }
}

/**
 * One 8-point pass of libjpeg-turbo's SIMD islow IDCT (jidctint-avx2.asm `dodct`) on the
 * 16-bit inputs v0..v7: the sums it forms in 16-bit words wrap, its
 * multiply-adds and 32-bit sums wrap modulo 2^32. Writes the eight 32-bit results, before
 * descaling, into `acc`.
 */
function simdPass(v0: number, v1: number, v2: number, v3: number, v4: number, v5: number, v6: number, v7: number, acc: Int32Array): void {
  const e0 = wrap16(v0 + v4) << 13;
  const e1 = wrap16(v0 - v4) << 13;
  const tmp3 = (Math.imul(v2, FIX_0_541196100 + FIX_0_765366865) + Math.imul(v6, FIX_0_541196100)) | 0;
  const tmp2 = (Math.imul(v2, FIX_0_541196100) + Math.imul(v6, FIX_0_541196100 - FIX_1_847759065)) | 0;
  const tmp10 = (e0 + tmp3) | 0;
  const tmp13 = (e0 - tmp3) | 0;
  const tmp11 = (e1 + tmp2) | 0;
  const tmp12 = (e1 - tmp2) | 0;
  const z3 = wrap16(v7 + v3);
  const z4 = wrap16(v5 + v1);
  const z3p = (Math.imul(z3, FIX_1_175875602 - FIX_1_961570560) + Math.imul(z4, FIX_1_175875602)) | 0;
  const z4p = (Math.imul(z3, FIX_1_175875602) + Math.imul(z4, FIX_1_175875602 - FIX_0_390180644)) | 0;
  const t0 = (Math.imul(v7, FIX_0_298631336 - FIX_0_899976223) + Math.imul(v1, -FIX_0_899976223) + z3p) | 0;
  const t1 = (Math.imul(v5, FIX_2_053119869 - FIX_2_562915447) + Math.imul(v3, -FIX_2_562915447) + z4p) | 0;
  const t3 = (Math.imul(v7, -FIX_0_899976223) + Math.imul(v1, FIX_1_501321110 - FIX_0_899976223) + z4p) | 0;
  const t2 = (Math.imul(v5, -FIX_2_562915447) + Math.imul(v3, FIX_3_072711026 - FIX_2_562915447) + z3p) | 0;
  acc[0] = (tmp10 + t3) | 0;
  acc[7] = (tmp10 - t3) | 0;
  acc[1] = (tmp11 + t2) | 0;
  acc[6] = (tmp11 - t2) | 0;
  acc[2] = (tmp12 + t1) | 0;
  acc[5] = (tmp12 - t1) | 0;
  acc[3] = (tmp13 + t0) | 0;
  acc[4] = (tmp13 - t0) | 0;
}
const simdAcc = new Int32Array(8);

/** Pass 2 of the SIMD IDCT on 16-bit workspace values, with 16-bit wrapping sums. */
function idctPass2(ws: Int32Array, out: Uint8Array, outOff: number, stride: number): void {
  const acc = simdAcc;
  for (let r = 0; r < 64; r += 8) {
    const o = outOff + (r >> 3) * stride;
    simdPass(ws[r], ws[r + 1], ws[r + 2], ws[r + 3], ws[r + 4], ws[r + 5], ws[r + 6], ws[r + 7], acc);
    for (let k = 0; k < 8; k++) out[o + k] = SAT[((acc[k] + 131072) >> 18) + 8192];
  }
}

/**
 * The islow IDCT for blocks with large dequantized values (damaged files): libjpeg-turbo's SIMD
 * semantics throughout (16-bit dequantization `vpmullw`, the whole-block DC shortcut when rows
 * 1..7 are zero, 16-bit wrapping sums, saturation to 16 bits after pass 1).
 */
function idctIslowWide(coef: Int16Array, off: number, q: Int16Array, out: Uint8Array, outOff: number, stride: number): void {
  const ws = workspace;
  let rowsZero = true;
  for (let k = 8; k < 64; k++) {
    if (coef[off + k] !== 0) {
      rowsZero = false;
      break;
    }
  }
  if (rowsZero) {
    for (let c = 0; c < 8; c++) {
      const dc = wrap16(wrap16(Math.imul(coef[off + c], q[c])) << 2);
      for (let r = 0; r < 64; r += 8) ws[r + c] = dc;
    }
  } else {
    const acc = simdAcc;
    for (let c = 0; c < 8; c++) {
      const i = off + c;
      simdPass(
        wrap16(Math.imul(coef[i], q[c])), wrap16(Math.imul(coef[i + 8], q[c + 8])),
        wrap16(Math.imul(coef[i + 16], q[c + 16])), wrap16(Math.imul(coef[i + 24], q[c + 24])),
        wrap16(Math.imul(coef[i + 32], q[c + 32])), wrap16(Math.imul(coef[i + 40], q[c + 40])),
        wrap16(Math.imul(coef[i + 48], q[c + 48])), wrap16(Math.imul(coef[i + 56], q[c + 56])),
        acc,
      );
      for (let k = 0; k < 8; k++) ws[c + 8 * k] = sat16((acc[k] + 1024) >> 11);
    }
  }
  idctPass2(ws, out, outOff, stride);
}

// ---------------------------------------------------------------------------------------------
// Scratch buffers, grown on demand and reused across calls (and across images of a batch).

let planeScratch: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)];
let rowScratch: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)];
let colsumScratch = new Int32Array(0);
const quantScratch: Int16Array[] = [new Int16Array(64), new Int16Array(64), new Int16Array(64)];

function plane(ci: number, size: number): Uint8Array {
  if (planeScratch[ci].length < size) planeScratch[ci] = new Uint8Array(Math.max(size, planeScratch[ci].length * 2));
  return planeScratch[ci];
}
function row(ci: number, size: number): Uint8Array {
  if (rowScratch[ci].length < size) rowScratch[ci] = new Uint8Array(Math.max(size, rowScratch[ci].length * 2));
  return rowScratch[ci];
}
function colsums(size: number): Int32Array {
  if (colsumScratch.length < size) colsumScratch = new Int32Array(Math.max(size, colsumScratch.length * 2));
  return colsumScratch;
}

/** Scratch larger than this (bytes per plane) is dropped after use, not kept for the next call. */
const KEEP_SCRATCH = 1 << 22;

/** Drops scratch planes grown for a large image, so that memory is not held between calls. */
function trimScratch(): void {
  for (let i = 0; i < 3; i++) {
    if (planeScratch[i].length > KEEP_SCRATCH) planeScratch[i] = new Uint8Array(0);
  }
}

/** How the decoded components map to output pixels. */
export type JpegColorTransform = 'ycbcr' | 'rgb';

/** One component after the IDCT: its samples, row stride and real (non-padding) extent. */
interface ComponentPlane {
  data: Uint8Array;
  stride: number;
  /** libjpeg's downsampled_width / downsampled_height. */
  width: number;
  height: number;
  /** Upsampling method of jdsample.c for this component. */
  method: 'full' | 'h2v1-fancy' | 'h2v2-fancy' | 'h1v2-fancy' | 'box';
  hExpand: number;
  vExpand: number;
}

/**
 * Validates a {@link JpegCoefficients} value, throwing `TypeError`/`RangeError` naming the field.
 * @internal
 */
export function assertCoefficients(coefs: unknown, name = 'coefs'): asserts coefs is JpegCoefficients {
  if (typeof coefs !== 'object' || coefs === null) {
    throw new TypeError(`${name} must be a JpegCoefficients object { width, height, components }, got ${describe(coefs)}`);
  }
  const c = coefs as Partial<JpegCoefficients>;
  for (const key of ['width', 'height'] as const) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_IMAGE_SIDE) {
      throw new RangeError(`${name}.${key} must be an integer in 1..${MAX_IMAGE_SIDE}, got ${describe(v)}`);
    }
  }
  if (!Array.isArray(c.components) || (c.components.length !== 1 && c.components.length !== 3)) {
    throw new RangeError(`${name}.components must be an array of 1 or 3 components, got ${describe(c.components)}`);
  }
  let maxH = 1;
  let maxV = 1;
  c.components.forEach((comp: JpegComponentCoefficients, i) => {
    const p = `${name}.components[${i}]`;
    if (typeof comp !== 'object' || comp === null) throw new TypeError(`${p} must be an object, got ${describe(comp)}`);
    for (const key of ['h', 'v'] as const) {
      const v = comp[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 4) {
        throw new RangeError(`${p}.${key} (sampling factor) must be an integer in 1..4, got ${describe(v)}`);
      }
    }
    maxH = Math.max(maxH, comp.h);
    maxV = Math.max(maxV, comp.v);
    if (!(comp.quantTable instanceof Uint16Array) || comp.quantTable.length !== 64) {
      throw new TypeError(`${p}.quantTable must be a Uint16Array of 64 entries, got ${describe(comp.quantTable)}`);
    }
    if (!(comp.coefficients instanceof Int16Array)) {
      throw new TypeError(`${p}.coefficients must be an Int16Array, got ${describe(comp.coefficients)}`);
    }
  });
  c.components.forEach((comp: JpegComponentCoefficients, i) => {
    const p = `${name}.components[${i}]`;
    const dw = Math.ceil((c.width! * comp.h) / maxH);
    const dh = Math.ceil((c.height! * comp.v) / maxV);
    const needW = Math.ceil(dw / 8);
    const needH = Math.ceil(dh / 8);
    if (!Number.isInteger(comp.blocksWide) || comp.blocksWide < needW || !Number.isInteger(comp.blocksHigh) || comp.blocksHigh < needH) {
      throw new RangeError(
        `${p} must have at least ${needW} x ${needH} blocks for a ${c.width}x${c.height} image with sampling ${comp.h}x${comp.v}, got blocksWide ${describe(comp.blocksWide)} x blocksHigh ${describe(comp.blocksHigh)}`,
      );
    }
    if (comp.coefficients.length !== comp.blocksWide * comp.blocksHigh * 64) {
      throw new RangeError(
        `${p}.coefficients length must equal blocksWide*blocksHigh*64 = ${comp.blocksWide * comp.blocksHigh * 64}, got ${comp.coefficients.length}`,
      );
    }
  });
}

/**
 * The upsampling method jdsample.c's `jinit_upsampler` picks (fancy upsampling on).
 * Throws for fractional ratios, as libjpeg does (JERR_FRACT_SAMPLE_NOTIMPL).
 */
function upsampleMethod(h: number, v: number, maxH: number, maxV: number, dw: number): ComponentPlane['method'] {
  if (h === maxH && v === maxV) return 'full';
  if (h * 2 === maxH && v === maxV) return dw > 2 ? 'h2v1-fancy' : 'box';
  if (h === maxH && v * 2 === maxV) return 'h1v2-fancy';
  if (h * 2 === maxH && v * 2 === maxV) return dw > 2 ? 'h2v2-fancy' : 'box';
  if (maxH % h === 0 && maxV % v === 0) return 'box';
  throw new Error(`JPEG sampling factors ${h}x${v} of ${maxH}x${maxV} are a fractional ratio, which libjpeg does not support`);
}

/** Runs the IDCT over the blocks of one component that reach the output. */
function componentPlane(comp: JpegComponentCoefficients, ci: number, width: number, height: number, maxH: number, maxV: number): ComponentPlane {
  const dw = Math.ceil((width * comp.h) / maxH);
  const dh = Math.ceil((height * comp.v) / maxV);
  const bw = Math.ceil(dw / 8);
  const bh = Math.ceil(dh / 8);
  const stride = bw * 8;
  const data = plane(ci, stride * bh * 8);
  const q = quantScratch[ci];
  const qt = comp.quantTable;
  q.set(qt); // libjpeg stores ISLOW_MULT_TYPE (short): the set wraps 16-bit values as (v << 16) >> 16
  const coef = comp.coefficients;
  const blocksWide = comp.blocksWide;
  for (let by = 0; by < bh; by++) {
    let off = by * blocksWide * 64;
    const outRow = by * 8 * stride;
    for (let bx = 0; bx < bw; bx++, off += 64) idctIslow(coef, off, q, data, outRow + bx * 8, stride);
  }
  const method = upsampleMethod(comp.h, comp.v, maxH, maxV, dw);
  return { data, stride, width: dw, height: dh, method, hExpand: maxH / comp.h, vExpand: maxV / comp.v };
}

/**
 * Writes output row `y` of an upsampled component into `dst` (or returns the offset into the
 * plane where a full-size row already lies). Returns the array and offset to read `width`
 * samples from.
 */
function upsampledRow(p: ComponentPlane, y: number, width: number, dst: Uint8Array, cs: Int32Array): number {
  const src = p.data;
  const stride = p.stride;
  switch (p.method) {
    case 'full':
      return -1;
    case 'h2v1-fancy': {
      const s = y * stride;
      const n = p.width;
      let a = src[s];
      dst[0] = a;
      let nx = src[s + 1];
      dst[1] = (a * 3 + nx + 2) >> 2;
      let prev = a;
      let o = 2;
      for (let j = 1; j < n - 1; j++) {
        a = nx;
        nx = src[s + j + 1];
        const t = a * 3;
        dst[o++] = (t + prev + 1) >> 2;
        dst[o++] = (t + nx + 2) >> 2;
        prev = a;
      }
      a = nx;
      dst[o++] = (a * 3 + prev + 1) >> 2;
      dst[o] = a;
      return 0;
    }
    case 'h2v2-fancy': {
      const i = y >> 1;
      const nb = y & 1 ? Math.min(i + 1, p.height - 1) : Math.max(i - 1, 0);
      const s0 = i * stride;
      const s1 = nb * stride;
      const n = p.width;
      for (let j = 0; j < n; j++) cs[j] = src[s0 + j] * 3 + src[s1 + j];
      let t = cs[0];
      let nx = cs[1];
      dst[0] = (t * 4 + 8) >> 4;
      dst[1] = (t * 3 + nx + 7) >> 4;
      let prev = t;
      let o = 2;
      for (let j = 1; j < n - 1; j++) {
        t = nx;
        nx = cs[j + 1];
        const t3 = t * 3;
        dst[o++] = (t3 + prev + 8) >> 4;
        dst[o++] = (t3 + nx + 7) >> 4;
        prev = t;
      }
      t = nx;
      dst[o++] = (t * 3 + prev + 8) >> 4;
      dst[o] = (t * 4 + 7) >> 4;
      return 0;
    }
    case 'h1v2-fancy': {
      const i = y >> 1;
      const odd = y & 1;
      const nb = odd ? Math.min(i + 1, p.height - 1) : Math.max(i - 1, 0);
      const bias = odd ? 2 : 1;
      const s0 = i * stride;
      const s1 = nb * stride;
      const n = p.width;
      for (let j = 0; j < n; j++) dst[j] = (src[s0 + j] * 3 + src[s1 + j] + bias) >> 2;
      return 0;
    }
    case 'box': {
      const he = p.hExpand;
      const s = Math.floor(y / p.vExpand) * stride;
      if (he === 2) {
        for (let x = 0; x < width; x++) dst[x] = src[s + (x >> 1)];
      } else {
        for (let x = 0; x < width; x++) dst[x] = src[s + Math.floor(x / he)];
      }
      return 0;
    }
  }
}

let lastOut: Uint8Array | null = null;
let lastWords: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
/**
 * A 32-bit view of `out` for writing four RGB pixels as three words, or null where the words
 * would not be aligned (or the platform is big-endian).
 */
function wordView(out: Uint8Array, outOffset: number, width: number): Uint32Array | null {
  if (!LITTLE_ENDIAN || (width & 3) !== 0 || ((out.byteOffset + outOffset) & 3) !== 0) return null;
  if (out !== lastOut) {
    lastOut = out;
    lastWords = new Uint32Array(out.buffer, out.byteOffset, out.length >> 2);
  }
  return lastWords;
}

// YCbCr -> RGB in the fused loops below is jdcolor.c's table arithmetic written out:
//   R = y + ((91881 * (cr - 128) + 32768) >> 16)              (Cr_r_tab)
//   G = y + ((32768 - 22554 * (cb - 128) - 46802 * (cr - 128)) >> 16)   (Cb_g_tab + Cr_g_tab)
//   B = y + ((116130 * (cb - 128) + 32768) >> 16)             (Cb_b_tab)
// each clamped to 0..255 (CLAMP is indexed with y + 384).

/**
 * Horizontal 2:1 fancy chroma upsampling fused with YCbCr -> RGB, for 4:2:0 (`vertical`: h2v2,
 * jdsample.c h2v2_fancy_upsample) and 4:2:2 (h2v1_fancy_upsample). For each output row, one pass
 * over the chroma columns computes the two upsampled Cb and Cr samples of each column and
 * converts the two pixels they cover. The h2v1 filter is the h2v2 one with both rows equal and
 * biases 4 and 8 instead of 8 and 7: (12a + 4b + 4) >> 4 = (3a + b + 1) >> 2, and likewise.
 */
function fusedH2(
  py: ComponentPlane, cbp: Uint8Array, crp: Uint8Array, pc: ComponentPlane,
  width: number, height: number, out: Uint8Array, outOffset: number, vertical: boolean,
): void {
  const Y = py.data;
  const ystride = py.stride;
  const cstride = pc.stride;
  const dw = pc.width;
  const lastRow = pc.height - 1;
  const biasL = vertical ? 8 : 4;
  const biasR = vertical ? 7 : 8;
  const C = CLAMP;
  const words = wordView(out, outOffset, width);
  for (let y = 0; y < height; y++) {
    let s0: number;
    let s1: number;
    if (vertical) {
      const i = y >> 1;
      s0 = i * cstride;
      s1 = (y & 1 ? (i < lastRow ? i + 1 : lastRow) : i > 0 ? i - 1 : 0) * cstride;
    } else {
      s0 = y * cstride;
      s1 = s0;
    }
    let ys = y * ystride;
    let o = outOffset + y * width * 3;
    let cbCur = cbp[s0] * 3 + cbp[s1];
    let crCur = crp[s0] * 3 + crp[s1];
    let cbPrev = cbCur;
    let crPrev = crCur;
    if (words !== null) {
      // Four pixels (two chroma columns) per step, written as three little-endian words.
      let w = o >> 2;
      for (let j = 0; j < dw - 1; j += 2) {
        // column j (always has a right neighbour: j + 1 < dw)
        let cbNext = cbp[s0 + j + 1] * 3 + cbp[s1 + j + 1];
        let crNext = crp[s0 + j + 1] * 3 + crp[s1 + j + 1];
        let cb3 = cbCur * 3;
        let cr3 = crCur * 3;
        let cb = ((cb3 + cbPrev + biasL) >> 4) - 128;
        let cr = ((cr3 + crPrev + biasL) >> 4) - 128;
        let yy = Y[ys] + 384;
        const r0 = C[yy + ((91881 * cr + 32768) >> 16)];
        const g0 = C[yy + ((32768 - 22554 * cb - 46802 * cr) >> 16)];
        const b0 = C[yy + ((116130 * cb + 32768) >> 16)];
        cb = ((cb3 + cbNext + biasR) >> 4) - 128;
        cr = ((cr3 + crNext + biasR) >> 4) - 128;
        yy = Y[ys + 1] + 384;
        const r1 = C[yy + ((91881 * cr + 32768) >> 16)];
        const g1 = C[yy + ((32768 - 22554 * cb - 46802 * cr) >> 16)];
        const b1 = C[yy + ((116130 * cb + 32768) >> 16)];
        cbPrev = cbCur;
        crPrev = crCur;
        cbCur = cbNext;
        crCur = crNext;
        // column j + 1
        if (j + 2 < dw) {
          cbNext = cbp[s0 + j + 2] * 3 + cbp[s1 + j + 2];
          crNext = crp[s0 + j + 2] * 3 + crp[s1 + j + 2];
        }
        cb3 = cbCur * 3;
        cr3 = crCur * 3;
        cb = ((cb3 + cbPrev + biasL) >> 4) - 128;
        cr = ((cr3 + crPrev + biasL) >> 4) - 128;
        yy = Y[ys + 2] + 384;
        const r2 = C[yy + ((91881 * cr + 32768) >> 16)];
        const g2 = C[yy + ((32768 - 22554 * cb - 46802 * cr) >> 16)];
        const b2 = C[yy + ((116130 * cb + 32768) >> 16)];
        cb = ((cb3 + cbNext + biasR) >> 4) - 128;
        cr = ((cr3 + crNext + biasR) >> 4) - 128;
        yy = Y[ys + 3] + 384;
        const r3 = C[yy + ((91881 * cr + 32768) >> 16)];
        const g3 = C[yy + ((32768 - 22554 * cb - 46802 * cr) >> 16)];
        const b3 = C[yy + ((116130 * cb + 32768) >> 16)];
        cbPrev = cbCur;
        crPrev = crCur;
        cbCur = cbNext;
        crCur = crNext;
        words[w] = r0 | (g0 << 8) | (b0 << 16) | (r1 << 24);
        words[w + 1] = g1 | (b1 << 8) | (r2 << 16) | (g2 << 24);
        words[w + 2] = b2 | (r3 << 8) | (g3 << 16) | (b3 << 24);
        w += 3;
        ys += 4;
      }
      continue;
    }
    const pairs = width >> 1;
    for (let j = 0; j < pairs; j++) {
      let cbNext = cbCur;
      let crNext = crCur;
      if (j + 1 < dw) {
        cbNext = cbp[s0 + j + 1] * 3 + cbp[s1 + j + 1];
        crNext = crp[s0 + j + 1] * 3 + crp[s1 + j + 1];
      }
      const cb3 = cbCur * 3;
      const cr3 = crCur * 3;
      let cb = ((cb3 + cbPrev + biasL) >> 4) - 128;
      let cr = ((cr3 + crPrev + biasL) >> 4) - 128;
      let yy = Y[ys] + 384;
      out[o] = C[yy + ((91881 * cr + 32768) >> 16)];
      out[o + 1] = C[yy + ((32768 - 22554 * cb - 46802 * cr) >> 16)];
      out[o + 2] = C[yy + ((116130 * cb + 32768) >> 16)];
      cb = ((cb3 + cbNext + biasR) >> 4) - 128;
      cr = ((cr3 + crNext + biasR) >> 4) - 128;
      yy = Y[ys + 1] + 384;
      out[o + 3] = C[yy + ((91881 * cr + 32768) >> 16)];
      out[o + 4] = C[yy + ((32768 - 22554 * cb - 46802 * cr) >> 16)];
      out[o + 5] = C[yy + ((116130 * cb + 32768) >> 16)];
      o += 6;
      ys += 2;
      cbPrev = cbCur;
      crPrev = crCur;
      cbCur = cbNext;
      crCur = crNext;
    }
    if (width & 1) {
      const cb = ((cbCur * 3 + cbPrev + biasL) >> 4) - 128;
      const cr = ((crCur * 3 + crPrev + biasL) >> 4) - 128;
      const yy = Y[ys] + 384;
      out[o] = C[yy + ((91881 * cr + 32768) >> 16)];
      out[o + 1] = C[yy + ((32768 - 22554 * cb - 46802 * cr) >> 16)];
      out[o + 2] = C[yy + ((116130 * cb + 32768) >> 16)];
    }
  }
}

/** 4:4:4: YCbCr -> RGB only. */
function fusedFull(
  py: ComponentPlane, cbp: Uint8Array, crp: Uint8Array,
  width: number, height: number, out: Uint8Array, outOffset: number,
): void {
  const Y = py.data;
  const stride = py.stride;
  const C = CLAMP;
  for (let y = 0; y < height; y++) {
    let s = y * stride;
    let o = outOffset + y * width * 3;
    for (let x = 0; x < width; x++, s++, o += 3) {
      const yy = Y[s] + 384;
      const cb = cbp[s] - 128;
      const cr = crp[s] - 128;
      out[o] = C[yy + ((91881 * cr + 32768) >> 16)];
      out[o + 1] = C[yy + ((32768 - 22554 * cb - 46802 * cr) >> 16)];
      out[o + 2] = C[yy + ((116130 * cb + 32768) >> 16)];
    }
  }
}

/**
 * Writes the pixels of `coefs` into `out` at `outOffset` (width*height*channels bytes).
 * `coefs` must already be validated. Used by {@link inverseJpeg} and the batch round trip.
 * @internal
 */
export function inverseJpegInto(coefs: JpegCoefficients, out: Uint8Array, outOffset: number, transform: JpegColorTransform = 'ycbcr'): void {
  try {
    inverseInto(coefs, out, outOffset, transform);
  } finally {
    trimScratch();
  }
}

function inverseInto(coefs: JpegCoefficients, out: Uint8Array, outOffset: number, transform: JpegColorTransform): void {
  const { width, height, components } = coefs;
  let maxH = 1;
  let maxV = 1;
  for (const c of components) {
    if (c.h > maxH) maxH = c.h;
    if (c.v > maxV) maxV = c.v;
  }
  if (components.length === 1) {
    // Grayscale: libjpeg treats a single-component image as non-interleaved; its sampling
    // factors do not matter (downsampled size = image size).
    const p = componentPlane(components[0], 0, width, height, maxH, maxV);
    const src = p.data;
    for (let y = 0; y < height; y++) {
      out.set(src.subarray(y * p.stride, y * p.stride + width), outOffset + y * width);
    }
    return;
  }
  const p0 = componentPlane(components[0], 0, width, height, maxH, maxV);
  const p1 = componentPlane(components[1], 1, width, height, maxH, maxV);
  const p2 = componentPlane(components[2], 2, width, height, maxH, maxV);
  if (
    transform === 'ycbcr' && p0.method === 'full' && p1.method === p2.method &&
    p1.width === p2.width && p1.height === p2.height && p1.stride === p2.stride
  ) {
    if (p1.method === 'h2v2-fancy') return fusedH2(p0, p1.data, p2.data, p1, width, height, out, outOffset, true);
    if (p1.method === 'h2v1-fancy') return fusedH2(p0, p1.data, p2.data, p1, width, height, out, outOffset, false);
    if (p1.method === 'full') return fusedFull(p0, p1.data, p2.data, width, height, out, outOffset);
  }
  const rowLen = Math.max(p0.width, p1.width, p2.width) * 4 + 8;
  const r0 = row(0, rowLen);
  const r1 = row(1, rowLen);
  const r2 = row(2, rowLen);
  const cs = colsums(rowLen);
  const ycc = transform === 'ycbcr';
  for (let y = 0; y < height; y++) {
    let a0: Uint8Array = r0;
    let o0 = 0;
    if (upsampledRow(p0, y, width, r0, cs) < 0) {
      a0 = p0.data;
      o0 = y * p0.stride;
    }
    let a1: Uint8Array = r1;
    let o1 = 0;
    if (upsampledRow(p1, y, width, r1, cs) < 0) {
      a1 = p1.data;
      o1 = y * p1.stride;
    }
    let a2: Uint8Array = r2;
    let o2 = 0;
    if (upsampledRow(p2, y, width, r2, cs) < 0) {
      a2 = p2.data;
      o2 = y * p2.stride;
    }
    let o = outOffset + y * width * 3;
    if (ycc) {
      for (let x = 0; x < width; x++) {
        const yy = a0[o0 + x] + 384;
        const cb = a1[o1 + x];
        const cr = a2[o2 + x];
        out[o] = CLAMP[yy + CR_R[cr]];
        out[o + 1] = CLAMP[yy + ((CB_G[cb] + CR_G[cr]) >> 16)];
        out[o + 2] = CLAMP[yy + CB_B[cb]];
        o += 3;
      }
    } else {
      for (let x = 0; x < width; x++) {
        out[o] = a0[o0 + x];
        out[o + 1] = a1[o1 + x];
        out[o + 2] = a2[o2 + x];
        o += 3;
      }
    }
  }
}

/**
 * Pixels of quantized DCT coefficients: dequantization, libjpeg's islow integer IDCT, "fancy"
 * upsampling and fixed-point YCbCr to RGB conversion, bit-exact with what libjpeg-turbo 2.1.5
 * (Pillow 9.4's decoder, default settings) produces from the same coefficients.
 *
 * One component gives a grayscale image, three give RGB (treated as YCbCr, as in JFIF files).
 *
 * @param coefs quantized coefficients, e.g. from `forwardJpeg` or the decoder.
 * @returns a new {@link Image} of `coefs.width` x `coefs.height`.
 * @throws RangeError/TypeError when `coefs` is malformed; Error for fractional sampling ratios.
 *
 * @example
 * const pixels = inverseJpeg(forwardJpeg(image, 75));
 */
export function inverseJpeg(coefs: JpegCoefficients): Image {
  assertCoefficients(coefs);
  const channels = coefs.components.length === 1 ? 1 : 3;
  const data = new Uint8Array(coefs.width * coefs.height * channels);
  inverseJpegInto(coefs, data, 0, 'ycbcr');
  return { width: coefs.width, height: coefs.height, channels, data };
}
