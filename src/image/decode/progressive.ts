/**
 * Progressive Huffman scans, after libjpeg-turbo 2.1.5's jdphuff.c: DC first and refinement
 * scans (interleaved), AC first and refinement scans (one component, with end-of-band runs).
 */
import type { HuffmanDecodeTable, JpegBitReader } from '../huffman-decode.js';
import { NATURAL_ORDER, type Frame, type FrameComponent } from './frame.js';
import { processRestart, scanLayout } from './scan.js';

/** Decodes one progressive scan (jdphuff.c): DC first / refine (interleaved), AC first / refine. */
export function decodeProgressiveScan(
  reader: JpegBitReader,
  frame: Frame,
  comps: FrameComponent[],
  dcs: HuffmanDecodeTable[],
  acs: HuffmanDecodeTable[],
  restartInterval: number,
  ss: number,
  se: number,
  ah: number,
  al: number,
  warn: (message: string) => void,
): void {
  const ns = comps.length;
  const { mcusX, mcusY, mcuComp, mcuDx, mcuDy, coefs, bws, hs, vs } = scanLayout(frame, comps);
  const nb = mcuComp.length;
  const pred = new Int32Array(ns);
  const total = mcusX * mcusY;
  const p1 = 1 << al;
  const m1 = -1 << al;
  let eobrun = 0;
  let badSizes = 0;
  let restartsToGo = restartInterval;
  let nextRestart = 0;
  const vComp = ns === 1 ? comps[0].v : 1;
  for (let m = 0; m < total; m++) {
    if (!reader.insufficient) frame.lastGoodIMcuRow = Math.floor(((m / mcusX) | 0) / vComp);
    if (restartInterval) {
      if (restartsToGo === 0) {
        processRestart(reader, nextRestart, warn);
        nextRestart = (nextRestart + 1) & 7;
        pred.fill(0);
        eobrun = 0;
        restartsToGo = restartInterval;
      }
      restartsToGo--;
    }
    const my = (m / mcusX) | 0;
    const mx = m - my * mcusX;
    if (ss === 0) {
      if (ah === 0) {
        if (reader.insufficient) continue;
        for (let b = 0; b < nb; b++) {
          const ci = mcuComp[b];
          const off = ((my * vs[ci] + mcuDy[b]) * bws[ci] + mx * hs[ci] + mcuDx[b]) * 64;
          let s = reader.decode(dcs[ci]);
          if (s) {
            const r = reader.getBits(s);
            s = r < 1 << (s - 1) ? r - (1 << s) + 1 : r;
          }
          const dc = pred[ci] + s;
          if (dc > 2147483647 || dc < -2147483648) throw new Error('invalid JPEG: DC coefficient out of range (corrupt progressive data)');
          pred[ci] = dc;
          coefs[ci][off] = dc << al;
        }
      } else {
        // DC refinement: libjpeg reads on even past a marker (zero bits).
        for (let b = 0; b < nb; b++) {
          const ci = mcuComp[b];
          const off = ((my * vs[ci] + mcuDy[b]) * bws[ci] + mx * hs[ci] + mcuDx[b]) * 64;
          if (reader.getBits(1)) coefs[ci][off] |= p1;
        }
      }
      continue;
    }
    if (reader.insufficient) continue;
    const out = coefs[0];
    const off = ((my) * bws[0] + mx) * 64;
    const ac = acs[0];
    if (ah === 0) {
      // AC first
      if (eobrun > 0) {
        eobrun--;
        continue;
      }
      for (let k = ss; k <= se; k++) {
        const rs = reader.decode(ac);
        let r = rs >> 4;
        const size = rs & 15;
        if (size) {
          k += r;
          const v = reader.getBits(size);
          out[off + NATURAL_ORDER[k]] = (v < 1 << (size - 1) ? v - (1 << size) + 1 : v) << al;
        } else if (r === 15) {
          k += 15;
        } else {
          eobrun = 1 << r;
          if (r) {
            r = reader.getBits(r);
            eobrun += r;
          }
          eobrun--;
          break;
        }
      }
      continue;
    }
    // AC refinement
    let k = ss;
    if (eobrun === 0) {
      for (; k <= se; k++) {
        const rs = reader.decode(ac);
        let r = rs >> 4;
        let s = rs & 15;
        if (s) {
          if (s !== 1) badSizes++;
          s = reader.getBits(1) ? p1 : m1;
        } else if (r !== 15) {
          eobrun = 1 << r;
          if (r) eobrun += reader.getBits(r);
          break;
        }
        do {
          const pos = off + NATURAL_ORDER[k];
          const c = out[pos];
          if (c !== 0) {
            if (reader.getBits(1)) {
              if ((c & p1) === 0) out[pos] = c >= 0 ? c + p1 : c + m1;
            }
          } else if (--r < 0) {
            break;
          }
          k++;
        } while (k <= se);
        if (s) out[off + NATURAL_ORDER[k]] = s;
      }
    }
    if (eobrun > 0) {
      for (; k <= se; k++) {
        const pos = off + NATURAL_ORDER[k];
        const c = out[pos];
        if (c !== 0 && reader.getBits(1) && (c & p1) === 0) out[pos] = c >= 0 ? c + p1 : c + m1;
      }
      eobrun--;
    }
  }
  if (badSizes > 0) warn(`${badSizes} refinement codes with a size other than 1`);
  if (reader.insufficient) warn('the entropy-coded data is cut short by a marker');
}
