/**
 * libjpeg's block smoothing of progressive files (jdcoefct.c, libjpeg-turbo 2.1.5, on by
 * default): when the first AC coefficients are still approximate, they are estimated from the
 * DC values of neighbouring blocks before the IDCT.
 */
import type { Frame } from './frame.js';

/**
 * libjpeg's smoothing_ok (jdcoefct.c, libjpeg-turbo 2.1.5; `do_block_smoothing` is on by
 * default): block smoothing runs when every
 * component has a DC scan and non-zero low quantizers, and some of the first nine AC positions
 * of some component are still approximate (never sent, or not refined down to Al = 0).
 */
export function blockSmoothingApplies(f: Frame): boolean {
  const Q = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24]; // natural positions of zigzag 0..9
  let useful = false;
  for (const [ci, c] of f.components.entries()) {
    if (!c.quant) return false;
    for (const pos of Q) if (c.quant[pos] === 0) return false;
    const bits = f.coefBits[ci];
    if (bits[0] < 0) return false;
    for (let k = 1; k < 10; k++) if (bits[k] !== 0) useful = true;
  }
  return useful;
}

/**
 * libjpeg's block smoothing for progressive files whose first AC coefficients remain
 * approximate (jdcoefct.c decompress_smooth_data, libjpeg-turbo 2.1.5): for every block, each of
 * the first nine AC coefficients (zigzag 1..9) that is still zero and not known exactly is
 * estimated from the DC values of the 5x5 neighbouring blocks (and, when no AC data at all has
 * arrived, the DC itself is interpolated). Returns a smoothed copy of the component's
 * coefficients; neighbour lookups follow libjpeg's iMCU-row buffering exactly, quirks included.
 */
export function smoothBlocks(f: Frame, ci: number, coefs: Int16Array, scansRead: number): Int16Array {
  const comp = f.components[ci];
  const out = coefs.slice();
  const q = comp.quant!;
  const v = comp.v;
  const bw = comp.blocksWide;
  const W = comp.widthInBlocks;
  const totalIMcuRows = Math.ceil(f.height / (8 * f.maxV));
  const lastIMcuRow = totalIMcuRows - 1;
  const latch = f.coefBits[ci];
  const prevLatch = new Int32Array(10);
  for (let k = 1; k < 10; k++) prevLatch[k] = scansRead > 1 ? f.prevCoefBits[ci][k] : -1;
  const Q00 = q[0];
  const Q01 = q[1];
  const Q10 = q[8];
  const Q20 = q[16];
  const Q11 = q[9];
  const Q02 = q[2];
  const Q03 = q[3];
  const Q12 = q[10];
  const Q21 = q[17];
  const Q30 = q[24];
  const dcAt = (row: number, col: number): number => coefs[(row * bw + col) * 64];
  /** C: pred = (int)(((Qxx << 7) + |num|) / (Qxx << 8)), clamped below 2^Al, sign of num. */
  const predict = (num: number, qxx: number, al: number): number => {
    let pred = Math.floor(((qxx * 128) + Math.abs(num)) / (qxx * 256));
    if (al > 0 && pred >= 1 << al) pred = (1 << al) - 1;
    return num >= 0 ? pred : -pred;
  };
  for (let R = 0; R < totalIMcuRows; R++) {
    const bits = R > f.lastGoodIMcuRow ? prevLatch : latch;
    const changeDc = bits[1] === -1 && bits[2] === -1 && bits[3] === -1 && bits[4] === -1 && bits[5] === -1 &&
      bits[6] === -1 && bits[7] === -1 && bits[8] === -1 && bits[9] === -1;
    let blockRows = v;
    if (R === lastIMcuRow) {
      blockRows = comp.heightInBlocks % v;
      if (blockRows === 0) blockRows = v;
    }
    for (let br = 0; br < blockRows; br++) {
      const r = R * v + br;
      const prevRow = br > 0 || R > 0 ? r - 1 : r;
      const prevPrevRow = br > 1 || R > 1 ? r - 2 : prevRow;
      const nextRow = br < blockRows - 1 || R < lastIMcuRow ? r + 1 : r;
      const nextNextRow = br < blockRows - 2 || R + 1 < lastIMcuRow ? r + 2 : nextRow;
      let DC01 = dcAt(prevPrevRow, 0), DC02 = DC01, DC03 = DC01, DC04 = DC01, DC05 = DC01;
      let DC06 = dcAt(prevRow, 0), DC07 = DC06, DC08 = DC06, DC09 = DC06, DC10 = DC06;
      let DC11 = dcAt(r, 0), DC12 = DC11, DC13 = DC11, DC14 = DC11, DC15 = DC11;
      let DC16 = dcAt(nextRow, 0), DC17 = DC16, DC18 = DC16, DC19 = DC16, DC20 = DC16;
      let DC21 = dcAt(nextNextRow, 0), DC22 = DC21, DC23 = DC21, DC24 = DC21, DC25 = DC21;
      const last = W - 1;
      for (let b = 0; b < W; b++) {
        if (b === 0 && b < last) {
          DC04 = dcAt(prevPrevRow, 1);
          DC09 = dcAt(prevRow, 1);
          DC14 = dcAt(r, 1);
          DC19 = dcAt(nextRow, 1);
          DC24 = dcAt(nextNextRow, 1);
        }
        if (b + 1 < last) {
          DC05 = dcAt(prevPrevRow, b + 2);
          DC10 = dcAt(prevRow, b + 2);
          DC15 = dcAt(r, b + 2);
          DC20 = dcAt(nextRow, b + 2);
          DC25 = dcAt(nextNextRow, b + 2);
        }
        const o = (r * bw + b) * 64;
        let al: number;
        if ((al = bits[1]) !== 0 && out[o + 1] === 0) {
          const num = Q00 * (changeDc
            ? -DC01 - DC02 + DC04 + DC05 - 3 * DC06 + 13 * DC07 - 13 * DC09 + 3 * DC10 - 3 * DC11 + 38 * DC12 - 38 * DC14 +
              3 * DC15 - 3 * DC16 + 13 * DC17 - 13 * DC19 + 3 * DC20 - DC21 - DC22 + DC24 + DC25
            : -7 * DC11 + 50 * DC12 - 50 * DC14 + 7 * DC15);
          out[o + 1] = predict(num, Q01, al);
        }
        if ((al = bits[2]) !== 0 && out[o + 8] === 0) {
          const num = Q00 * (changeDc
            ? -DC01 - 3 * DC02 - 3 * DC03 - 3 * DC04 - DC05 - DC06 + 13 * DC07 + 38 * DC08 + 13 * DC09 - DC10 + DC16 -
              13 * DC17 - 38 * DC18 - 13 * DC19 + DC20 + DC21 + 3 * DC22 + 3 * DC23 + 3 * DC24 + DC25
            : -7 * DC03 + 50 * DC08 - 50 * DC18 + 7 * DC23);
          out[o + 8] = predict(num, Q10, al);
        }
        if ((al = bits[3]) !== 0 && out[o + 16] === 0) {
          const num = Q00 * (changeDc
            ? DC03 + 2 * DC07 + 7 * DC08 + 2 * DC09 - 5 * DC12 - 14 * DC13 - 5 * DC14 + 2 * DC17 + 7 * DC18 + 2 * DC19 + DC23
            : -DC03 + 13 * DC08 - 24 * DC13 + 13 * DC18 - DC23);
          out[o + 16] = predict(num, Q20, al);
        }
        if ((al = bits[4]) !== 0 && out[o + 9] === 0) {
          const num = Q00 * (changeDc
            ? -DC01 + DC05 + 9 * DC07 - 9 * DC09 - 9 * DC17 + 9 * DC19 + DC21 - DC25
            : DC10 + DC16 - 10 * DC17 + 10 * DC19 - DC02 - DC20 + DC22 - DC24 + DC04 - DC06 + 10 * DC07 - 10 * DC09);
          out[o + 9] = predict(num, Q11, al);
        }
        if ((al = bits[5]) !== 0 && out[o + 2] === 0) {
          const num = Q00 * (changeDc
            ? 2 * DC07 - 5 * DC08 + 2 * DC09 + DC11 + 7 * DC12 - 14 * DC13 + 7 * DC14 + DC15 + 2 * DC17 - 5 * DC18 + 2 * DC19
            : -DC11 + 13 * DC12 - 24 * DC13 + 13 * DC14 - DC15);
          out[o + 2] = predict(num, Q02, al);
        }
        if (changeDc) {
          if ((al = bits[6]) !== 0 && out[o + 3] === 0) {
            out[o + 3] = predict(Q00 * (DC07 - DC09 + 2 * DC12 - 2 * DC14 + DC17 - DC19), Q03, al);
          }
          if ((al = bits[7]) !== 0 && out[o + 10] === 0) {
            out[o + 10] = predict(Q00 * (DC07 - 3 * DC08 + DC09 - DC17 + 3 * DC18 - DC19), Q12, al);
          }
          if ((al = bits[8]) !== 0 && out[o + 17] === 0) {
            out[o + 17] = predict(Q00 * (DC07 - DC09 - 3 * DC12 + 3 * DC14 + DC17 - DC19), Q21, al);
          }
          if ((al = bits[9]) !== 0 && out[o + 24] === 0) {
            out[o + 24] = predict(Q00 * (DC07 + 2 * DC08 + DC09 - DC17 - 2 * DC18 - DC19), Q30, al);
          }
          const num = Q00 * (-2 * DC01 - 6 * DC02 - 8 * DC03 - 6 * DC04 - 2 * DC05 - 6 * DC06 + 6 * DC07 + 42 * DC08 +
            6 * DC09 - 6 * DC10 - 8 * DC11 + 42 * DC12 + 152 * DC13 + 42 * DC14 - 8 * DC15 - 6 * DC16 + 6 * DC17 +
            42 * DC18 + 6 * DC19 - 6 * DC20 - 2 * DC21 - 6 * DC22 - 8 * DC23 - 6 * DC24 - 2 * DC25);
          out[o] = predict(num, Q00, 0);
        }
        DC01 = DC02; DC02 = DC03; DC03 = DC04; DC04 = DC05;
        DC06 = DC07; DC07 = DC08; DC08 = DC09; DC09 = DC10;
        DC11 = DC12; DC12 = DC13; DC13 = DC14; DC14 = DC15;
        DC16 = DC17; DC17 = DC18; DC18 = DC19; DC19 = DC20;
        DC21 = DC22; DC22 = DC23; DC23 = DC24; DC24 = DC25;
      }
    }
  }
  return out;
}
