/**
 * libjpeg-turbo 2.1.5's fixed-point YCbCr to RGB conversion (`jdcolor.c`, 16-bit fractions,
 * table based): the row loop for any upsampled rows, and the two fused loops of the hot path that
 * convert straight from the component planes: 4:4:4, and horizontal 2:1 fancy chroma upsampling
 * (h2v1 / h2v2, the filters of upsample.ts) done in the same pass.
 */
import type { ComponentPlane } from './upsample.js';

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

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

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
export function fusedH2(
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
export function fusedFull(
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
 * One row of `width` pixels from three full-size component rows (`a0`, `a1`, `a2` from offsets
 * `o0`, `o1`, `o2`) into `out` at `o`: YCbCr to RGB (`ycc`) or copied as they are (Adobe RGB).
 */
export function convertRow(
  a0: Uint8Array, o0: number, a1: Uint8Array, o1: number, a2: Uint8Array, o2: number,
  width: number, out: Uint8Array, o: number, ycc: boolean,
): void {
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
