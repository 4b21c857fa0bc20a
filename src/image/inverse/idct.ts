/**
 * Dequantization and the "islow" integer inverse DCT of libjpeg-turbo 2.1.5 (`jidctint.c`, and
 * its SSE2/AVX2 twins, whose 16-bit arithmetic and saturating stores this follows where they
 * differ from the C code on damaged data): one 8x8 block to 8 rows of 8 samples.
 */
import { ISLOW } from '../islow-constants.js';

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

const workspace = new Int32Array(64);

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
export function idctIslow(coef: Int16Array, off: number, q: Int16Array, out: Uint8Array, outOff: number, stride: number): void {
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
