/**
 * What sequential (sequential.ts) and progressive (progressive.ts) scans share: the MCU layout of
 * a scan (interleaved or not) and restart-marker handling (libjpeg's process_restart and
 * jpeg_resync_to_restart, jdhuff.c / jdmarker.c).
 */
import type { JpegBitReader } from '../huffman-decode.js';
import type { Frame, FrameComponent } from './frame.js';

/** The MCU geometry of one scan, shared by sequential and progressive decoding. */
export interface ScanLayout {
  mcusX: number;
  mcusY: number;
  /** Block list of one MCU: component index, and block offsets relative to the MCU origin. */
  mcuComp: number[];
  mcuDx: number[];
  mcuDy: number[];
  coefs: Int16Array[];
  bws: number[];
  /** Blocks per MCU of each component, horizontally and vertically (1 in a one-component scan). */
  hs: number[];
  vs: number[];
}

/**
 * The MCUs of a scan of `comps`: a one-component scan is not interleaved (one block per MCU,
 * the component's own block grid); otherwise each MCU holds h x v blocks of each component.
 */
export function scanLayout(frame: Frame, comps: FrameComponent[]): ScanLayout {
  const ns = comps.length;
  const mcuComp: number[] = [];
  const mcuDx: number[] = [];
  const mcuDy: number[] = [];
  let mcusX: number;
  let mcusY: number;
  if (ns === 1) {
    mcusX = comps[0].widthInBlocks;
    mcusY = comps[0].heightInBlocks;
    mcuComp.push(0);
    mcuDx.push(0);
    mcuDy.push(0);
  } else {
    mcusX = frame.mcusX;
    mcusY = frame.mcusY;
    comps.forEach((c, ci) => {
      for (let y = 0; y < c.v; y++) for (let x = 0; x < c.h; x++) {
        mcuComp.push(ci);
        mcuDx.push(x);
        mcuDy.push(y);
      }
    });
  }
  return {
    mcusX,
    mcusY,
    mcuComp,
    mcuDx,
    mcuDy,
    coefs: comps.map((c) => c.coefficients!),
    bws: comps.map((c) => c.blocksWide),
    hs: comps.map((c) => (ns === 1 ? 1 : c.h)),
    vs: comps.map((c) => (ns === 1 ? 1 : c.v)),
  };
}

/** libjpeg's process_restart / read_restart_marker / jpeg_resync_to_restart. */
export function processRestart(reader: JpegBitReader, expected: number, warn: (message: string) => void): void {
  reader.discardBits();
  if (reader.marker === 0) {
    // next_marker from the current position
    reader.marker = scanToMarker(reader);
  }
  if (reader.marker === 0xd0 + expected) {
    reader.marker = 0;
  } else {
    warn(`restart marker RST${expected} expected, found 0x${reader.marker.toString(16)}`);
    for (;;) {
      const marker = reader.marker;
      let action: number;
      if (marker < 0xc0) action = 2;
      else if (marker < 0xd0 || marker > 0xd7) action = 3;
      else if (marker === 0xd0 + ((expected + 1) & 7) || marker === 0xd0 + ((expected + 2) & 7)) action = 3;
      else if (marker === 0xd0 + ((expected - 1) & 7) || marker === 0xd0 + ((expected - 2) & 7)) action = 2;
      else action = 1;
      if (action === 1) {
        reader.marker = 0;
        break;
      }
      if (action === 3) break;
      reader.marker = scanToMarker(reader);
    }
  }
  if (reader.marker === 0) reader.insufficient = false;
}

/** Skips to the next marker after the reader's position; EOF is a truncated file. */
function scanToMarker(reader: JpegBitReader): number {
  const data = reader.data;
  let pos = reader.pos;
  const n = data.length;
  for (;;) {
    while (pos < n && data[pos] !== 0xff) pos++;
    while (pos < n && data[pos] === 0xff) pos++;
    if (pos >= n) throw new Error(`truncated JPEG: the data ends at byte ${n} inside the image data, before a restart marker`);
    const c = data[pos++];
    if (c !== 0) {
      reader.pos = pos;
      return c;
    }
  }
}
