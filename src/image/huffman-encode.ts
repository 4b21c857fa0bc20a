/**
 * Baseline Huffman entropy coding with the standard tables of JPEG Annex K.3 (the tables libjpeg
 * and Pillow write when `optimize` is off), per ITU T.81 F.1.2 and libjpeg jchuff.c.
 */
import type { JpegCoefficients } from './coefficients.js';
import type { JpegWriter } from './bitwriter.js';
import { JPEG_NATURAL_ORDER } from './quantization.js';

/** A Huffman table as written in a DHT segment: code counts per length 1..16 and the symbols. */
export interface HuffmanSpec {
  /** `bits[i]` = number of codes of length `i + 1` (16 entries). */
  bits: readonly number[];
  /** Symbols in order of increasing code length. */
  values: readonly number[];
}

const acSymbols = (prefix: number[]): number[] => {
  // Annex K lists the AC symbols as a hand-ordered prefix followed by the remaining run/size
  // pairs (run 0..15, size 1..10) in increasing order.
  const seen = new Set(prefix);
  const rest: number[] = [];
  for (let run = 0; run < 16; run++) {
    for (let size = 1; size <= 10; size++) {
      const s = (run << 4) | size;
      if (!seen.has(s)) rest.push(s);
    }
  }
  return [...prefix, ...rest];
};

/** Table K.3: luminance DC. */
export const STD_DC_LUMINANCE: HuffmanSpec = {
  bits: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
  values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
};

/** Table K.4: chrominance DC. */
export const STD_DC_CHROMINANCE: HuffmanSpec = {
  bits: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
  values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
};

/** Table K.5: luminance AC. */
export const STD_AC_LUMINANCE: HuffmanSpec = {
  bits: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  values: acSymbols([
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
    0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8a,
  ]),
};

/** Table K.6: chrominance AC. */
export const STD_AC_CHROMINANCE: HuffmanSpec = {
  bits: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  values: acSymbols([
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
    0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
    0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
    0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
    0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
    0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8a,
  ]),
};

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
    for (let i = 0; i < spec.bits[len - 1]; i++) {
      const sym = spec.values[k++];
      code[sym] = c++;
      size[sym] = len;
    }
    c <<= 1;
  }
  return { code, size };
}

const DC_TABLES = [derive(STD_DC_LUMINANCE), derive(STD_DC_CHROMINANCE)];
const AC_TABLES = [derive(STD_AC_LUMINANCE), derive(STD_AC_CHROMINANCE)];

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
