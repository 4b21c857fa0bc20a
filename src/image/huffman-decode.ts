/**
 * Huffman decoding of baseline JPEG entropy-coded segments, following libjpeg-turbo 2.1.5's
 * `jdhuff.c`, including how it copes with damaged data (so damaged files give Pillow's pixels):
 *
 * - an invalid code consumes 17 bits and decodes as symbol 0 (`jpeg_huff_decode`);
 * - a marker met inside the data stops reading: further bits are zeros and, once a zero bit
 *   past the marker has been used, the following MCUs of the segment are left all zero
 *   (`insufficient_data`);
 * - running off the end of the bytes while bits are still needed is a truncated file: Error.
 */

import type { HuffmanSpec } from './huffman-spec.js';

/** Lookup structure for decoding one Huffman table (libjpeg's `d_derived_tbl`). */
export interface HuffmanDecodeTable {
  /** 9-bit lookahead: `(length << 8) | symbol`, or 0 when the code is longer than 9 bits. */
  lookup: Int32Array;
  /** Largest code of each length, -1 if none; `maxcode[17]` is a sentinel. */
  maxcode: Int32Array;
  /** Offset from code to index in `symbols`, per length. */
  valoffset: Int32Array;
  symbols: Uint8Array;
}

const LOOKAHEAD = 9;

/**
 * Builds the decoding tables, validating like `jpeg_make_d_derived_tbl`: at most 256 symbols,
 * no over-subscribed code lengths (a code of all ones is not allowed), DC symbols at most 15.
 * @throws Error naming the table when it is invalid.
 */
export function buildHuffmanDecodeTable(spec: HuffmanSpec, isDC: boolean, name: string): HuffmanDecodeTable {
  const sizes: number[] = [];
  for (let l = 1; l <= 16; l++) {
    const n = spec.counts[l - 1];
    if (sizes.length + n > 256) throw new Error(`invalid JPEG: Huffman table ${name} has more than 256 codes`);
    for (let i = 0; i < n; i++) sizes.push(l);
  }
  const count = sizes.length;
  if (spec.symbols.length < count) throw new Error(`invalid JPEG: Huffman table ${name} lists fewer symbols than codes`);
  const codes = new Int32Array(count);
  let code = 0;
  let p = 0;
  let si = count > 0 ? sizes[0] : 0;
  while (p < count) {
    while (p < count && sizes[p] === si) {
      codes[p++] = code;
      code++;
    }
    if (code >= 1 << si) throw new Error(`invalid JPEG: Huffman table ${name} has over-subscribed code lengths`);
    code <<= 1;
    si++;
  }
  const maxcode = new Int32Array(18);
  const valoffset = new Int32Array(18);
  p = 0;
  for (let l = 1; l <= 16; l++) {
    const n = spec.counts[l - 1];
    if (n) {
      valoffset[l] = p - codes[p];
      p += n;
      maxcode[l] = codes[p - 1];
    } else {
      maxcode[l] = -1;
    }
  }
  maxcode[17] = 0xfffff;
  if (isDC) {
    for (let i = 0; i < count; i++) {
      if (spec.symbols[i] > 15) throw new Error(`invalid JPEG: DC Huffman table ${name} has symbol ${spec.symbols[i]} > 15`);
    }
  }
  const lookup = new Int32Array(1 << LOOKAHEAD);
  p = 0;
  for (let l = 1; l <= LOOKAHEAD; l++) {
    for (let i = 0; i < spec.counts[l - 1]; i++, p++) {
      const base = codes[p] << (LOOKAHEAD - l);
      const entry = (l << 8) | spec.symbols[p];
      for (let k = 0; k < 1 << (LOOKAHEAD - l); k++) lookup[base + k] = entry;
    }
  }
  const symbols = new Uint8Array(256);
  symbols.set(spec.symbols.subarray(0, count));
  return { lookup, maxcode, valoffset, symbols };
}

/**
 * Reads bits from an entropy-coded segment, removing stuffed zero bytes and stopping at the
 * first marker (whose code is kept in `marker`, with `pos` just past it).
 */
export class JpegBitReader {
  private acc = 0;
  private bits = 0;
  /** Zero bits appended after a marker or the end of data (at the low end of `acc`). */
  private pad = 0;
  /** Marker code met in the data, 0 if none yet (libjpeg's `unread_marker`). */
  marker = 0;
  /** The data ran out without a marker. */
  eof = false;
  /** A zero bit past a marker was used: the rest of the segment decodes as zeros. */
  insufficient = false;

  constructor(
    /** The whole file. */
    readonly data: Uint8Array,
    /** Next byte to read. */
    public pos: number,
  ) {}

  private fill(): void {
    const data = this.data;
    const end = data.length;
    while (this.bits <= 24) {
      if (this.marker !== 0 || this.eof) {
        this.acc <<= 8;
        this.bits += 8;
        this.pad += 8;
        continue;
      }
      if (this.pos >= end) {
        this.eof = true;
        continue;
      }
      let c = data[this.pos++];
      if (c === 0xff) {
        let c2 = 0xff;
        while (c2 === 0xff) {
          if (this.pos >= end) break;
          c2 = data[this.pos++];
        }
        if (c2 === 0xff) {
          this.eof = true;
          continue;
        }
        if (c2 !== 0) {
          this.marker = c2;
          continue;
        }
        c = 0xff;
      }
      this.acc = (this.acc << 8) | c;
      this.bits += 8;
    }
  }

  private consume(n: number): void {
    this.bits -= n;
    if (this.bits < this.pad) {
      if (this.eof) throw new Error(`truncated JPEG: the entropy-coded data ends at byte ${this.data.length} before the image is complete`);
      this.insufficient = true;
      this.pad = this.bits;
    }
  }

  /** Reads `n` (0..16) bits as an unsigned number. */
  getBits(n: number): number {
    if (this.bits < n) this.fill();
    const v = (this.acc >>> (this.bits - n)) & ((1 << n) - 1);
    this.consume(n);
    return v;
  }

  /** Decodes one Huffman symbol. */
  decode(t: HuffmanDecodeTable): number {
    if (this.bits < 17) this.fill();
    const bits = this.bits;
    const acc = this.acc;
    const e = t.lookup[(acc >>> (bits - LOOKAHEAD)) & ((1 << LOOKAHEAD) - 1)];
    if (e !== 0) {
      this.consume(e >> 8);
      return e & 0xff;
    }
    for (let l = LOOKAHEAD + 1; l <= 16; l++) {
      const code = (acc >>> (bits - l)) & ((1 << l) - 1);
      if (code <= t.maxcode[l]) {
        this.consume(l);
        return t.symbols[(code + t.valoffset[l]) & 0xff];
      }
    }
    // Invalid code: libjpeg warns (JWRN_HUFF_BAD_CODE), drops 17 bits and fakes a zero.
    this.consume(17);
    this.badCodes++;
    return 0;
  }

  /** Number of invalid Huffman codes met (libjpeg warnings). */
  badCodes = 0;

  /** Drops the bits left in the buffer (start of a restart interval). */
  discardBits(): void {
    this.acc = 0;
    this.bits = 0;
    this.pad = 0;
  }
}
