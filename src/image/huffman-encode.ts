/**
 * Baseline Huffman entropy coding with the standard tables of JPEG Annex K.3 (the tables libjpeg
 * and Pillow write when `optimize` is off), per ITU T.81 F.1.2 and libjpeg jchuff.c.
 */
import type { JpegCoefficients } from './coefficients.js';
import type { JpegWriter } from './bitwriter.js';
import {
  ANNEX_K_AC_CHROMINANCE, ANNEX_K_AC_LUMINANCE, ANNEX_K_DC_CHROMINANCE, ANNEX_K_DC_LUMINANCE,
} from './annex-k.js';
import type { HuffmanSpec } from './huffman-spec.js';
import { JPEG_NATURAL_ORDER } from './quantization.js';

/** Code and length of every symbol 0..255 (length 0 = symbol absent). */
interface DerivedTable {
  code: Uint16Array;
  size: Uint8Array;
}

function derive(spec: HuffmanSpec): DerivedTable {
  const code = new Uint16Array(256);
  const size = new Uint8Array(256);
  let c = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < spec.counts[len - 1]; i++) {
      const sym = spec.symbols[k++];
      code[sym] = c++;
      size[sym] = len;
    }
    c <<= 1;
  }
  return { code, size };
}

const DC_TABLES = [derive(ANNEX_K_DC_LUMINANCE), derive(ANNEX_K_DC_CHROMINANCE)];
const AC_TABLES = [derive(ANNEX_K_AC_LUMINANCE), derive(ANNEX_K_AC_CHROMINANCE)];

// Bit accumulator of the scan being written (module state: encoding is synchronous). `nbits`
// (< 8 between codes) pending bits sit in the low bits of `acc`; bytes go to `buf` at `pos`.
let acc = 0;
let nbits = 0;
let buf: Uint8Array = new Uint8Array(0);
let pos = 0;
let writer: JpegWriter | null = null;

/** Makes room for one more block: at most 64 codes of 16 + 11 bits, doubled by stuffing (< 512 bytes). */
function room(): void {
  if (pos + 512 > buf.length) {
    writer!.position = pos;
    buf = writer!.reserve(512 + (buf.length >> 1));
  }
}

function put(code: number, size: number): void {
  const a = (acc << size) | code;
  let n = nbits + size;
  while (n >= 8) {
    n -= 8;
    const b = (a >>> n) & 0xff;
    buf[pos++] = b;
    if (b === 0xff) buf[pos++] = 0;
  }
  acc = a & ((1 << n) - 1);
  nbits = n;
}

function encodeBlock(
  block: Int16Array, at: number, lastDc: number, dc: DerivedTable, ac: DerivedTable, nat: Readonly<Uint8Array>,
): void {
  room();
  const acCode = ac.code;
  const acSize = ac.size;
  const diff = block[at] - lastDc;
  let n = diff === 0 ? 0 : 32 - Math.clz32(diff < 0 ? -diff : diff);
  put(dc.code[n], dc.size[n]);
  if (n > 0) put((diff < 0 ? diff - 1 : diff) & ((1 << n) - 1), n);
  let run = 0;
  for (let k = 1; k < 64; k++) {
    const v = block[at + nat[k]];
    if (v === 0) {
      run++;
      continue;
    }
    while (run > 15) {
      put(acCode[0xf0], acSize[0xf0]);
      run -= 16;
    }
    n = 32 - Math.clz32(v < 0 ? -v : v);
    const sym = (run << 4) | n;
    put(acCode[sym], acSize[sym]);
    put((v < 0 ? v - 1 : v) & ((1 << n) - 1), n);
    run = 0;
  }
  if (run > 0) put(acCode[0], acSize[0]);
}

/**
 * Writes the entropy-coded data of one baseline scan of all components of `coefs` (interleaved
 * MCUs when there are several components), Huffman tables 0 for the first component and 1 for the
 * others, then pads the last byte with 1 bits.
 * @internal
 */
export function encodeScan(coefs: JpegCoefficients, out: JpegWriter): void {
  const comps = coefs.components;
  const nat = JPEG_NATURAL_ORDER;
  writer = out;
  buf = out.reserve(512);
  pos = out.position;
  acc = 0;
  nbits = 0;
  if (comps.length === 1) {
    const c = comps[0];
    const nBlocks = c.blocksWide * c.blocksHigh;
    let last = 0;
    for (let b = 0; b < nBlocks; b++) {
      encodeBlock(c.coefficients, b * 64, last, DC_TABLES[0], AC_TABLES[0], nat);
      last = c.coefficients[b * 64];
    }
  } else {
    const lastDc = [0, 0, 0, 0];
    // every component's block grid covers whole MCUs, so any of them gives the MCU counts
    const mcusX = comps[0].blocksWide / comps[0].h;
    const mcusY = comps[0].blocksHigh / comps[0].v;
    for (let my = 0; my < mcusY; my++) {
      for (let mx = 0; mx < mcusX; mx++) {
        for (let ci = 0; ci < comps.length; ci++) {
          const c = comps[ci];
          const dc = DC_TABLES[ci === 0 ? 0 : 1];
          const ac = AC_TABLES[ci === 0 ? 0 : 1];
          for (let yi = 0; yi < c.v; yi++) {
            const rowStart = (my * c.v + yi) * c.blocksWide;
            for (let xi = 0; xi < c.h; xi++) {
              const at = (rowStart + mx * c.h + xi) * 64;
              encodeBlock(c.coefficients, at, lastDc[ci], dc, ac, nat);
              lastDc[ci] = c.coefficients[at];
            }
          }
        }
      }
    }
  }
  // pad the last partial byte with 1 bits
  room();
  if (nbits > 0) put((1 << (8 - nbits)) - 1, 8 - nbits);
  out.position = pos;
  buf = new Uint8Array(0); // do not keep the caller's buffer alive
  writer = null;
}
