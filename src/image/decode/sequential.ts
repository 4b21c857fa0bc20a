/**
 * Sequential (baseline and extended) Huffman scans, after libjpeg-turbo 2.1.5's jdhuff.c
 * `decode_mcu`: DC difference and AC run/size codes of every block of every MCU.
 */
import type { HuffmanDecodeTable, JpegBitReader } from '../huffman-decode.js';
import { NATURAL_ORDER, type Frame, type FrameComponent } from './frame.js';
import { processRestart, scanLayout } from './scan.js';

/** Decodes the MCUs of one sequential scan into the components' coefficient arrays. */
export function decodeSequentialScan(
  reader: JpegBitReader,
  frame: Frame,
  comps: FrameComponent[],
  dcs: HuffmanDecodeTable[],
  acs: HuffmanDecodeTable[],
  restartInterval: number,
  warn: (message: string) => void,
): void {
  const ns = comps.length;
  const { mcusX, mcusY, mcuComp, mcuDx, mcuDy, coefs, bws, hs, vs } = scanLayout(frame, comps);
  const nb = mcuComp.length;
  const pred = new Int32Array(ns);
  const total = mcusX * mcusY;
  let restartsToGo = restartInterval;
  let nextRestart = 0;
  for (let m = 0; m < total; m++) {
    if (restartInterval) {
      if (restartsToGo === 0) {
        processRestart(reader, nextRestart, warn);
        nextRestart = (nextRestart + 1) & 7;
        pred.fill(0);
        restartsToGo = restartInterval;
      }
      restartsToGo--;
    }
    if (reader.insufficient) continue; // leave the MCU zero, as libjpeg does
    const my = (m / mcusX) | 0;
    const mx = m - my * mcusX;
    for (let b = 0; b < nb; b++) {
      const ci = mcuComp[b];
      const bx = mx * hs[ci] + mcuDx[b];
      const by = my * vs[ci] + mcuDy[b];
      const out = coefs[ci];
      const off = (by * bws[ci] + bx) * 64;
      // DC
      let s = reader.decode(dcs[ci]);
      if (s) {
        const r = reader.getBits(s);
        s = r < 1 << (s - 1) ? r - (1 << s) + 1 : r;
      }
      const dc = (pred[ci] + s) | 0;
      pred[ci] = dc;
      out[off] = dc;
      // AC
      const ac = acs[ci];
      for (let k = 1; k < 64; k++) {
        const rs = reader.decode(ac);
        const r = rs >> 4;
        const size = rs & 15;
        if (size) {
          k += r;
          const v = reader.getBits(size);
          out[off + NATURAL_ORDER[k]] = v < 1 << (size - 1) ? v - (1 << size) + 1 : v;
        } else {
          if (r !== 15) break;
          k += 15;
        }
      }
    }
  }
  if (reader.insufficient) warn('the entropy-coded data is cut short by a marker');
}
