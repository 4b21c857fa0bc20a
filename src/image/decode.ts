/**
 * JPEG decoding: a marker parser and Huffman decoder (baseline, extended sequential and
 * progressive, after libjpeg-turbo 2.1.5's jdmarker.c, jdhuff.c and jdphuff.c) that yields
 * {@link JpegCoefficients}, then the libjpeg-exact inverse path of `inverse.ts`. Files with 1 or
 * 3 components and any sampling factors libjpeg accepts decode to exactly Pillow 9.4's pixels,
 * including progressive files that libjpeg finishes with block smoothing (jdcoefct.c). Everything
 * else is an `Error` naming the reason. No third-party decoder is involved.
 *
 * Damaged entropy-coded data is handled as libjpeg handles it (invalid codes decode as zero,
 * data cut by a marker leaves the rest of the segment gray, restart markers resynchronise), so
 * such files give Pillow's pixels; `strict: true` turns those warnings into errors. Damaged
 * headers, truncated files and non-JPEG bytes always throw an `Error`.
 */
import type { JpegCoefficients, JpegComponentCoefficients } from './coefficients.js';
import { MAX_IMAGE_SIDE, type Image } from './image.js';
import {
  ANNEX_K_AC_CHROMINANCE, ANNEX_K_AC_LUMINANCE, ANNEX_K_DC_CHROMINANCE, ANNEX_K_DC_LUMINANCE,
} from './annex-k.js';
import { buildHuffmanDecodeTable, JpegBitReader, type HuffmanDecodeTable } from './huffman-decode.js';
import type { HuffmanSpec } from './huffman-spec.js';
import { inverseJpegInto, type JpegColorTransform } from './inverse.js';
import { describe } from '../util/checks.js';

/** Zigzag index to natural index, with libjpeg's 16 extra entries (= 63) for corrupt runs. */
const NATURAL_ORDER = new Int32Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
  28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
  54, 47, 55, 62, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
]);

/** Options of {@link decodeJpeg}. */
export interface DecodeJpegOptions {
  /**
   * Throw on damage that libjpeg only warns about (invalid Huffman codes, data cut short by a
   * marker, bad restart markers, stray bytes between markers, a non-sequential scan header).
   * Default `false`: decode such files as libjpeg (and so Pillow) does.
   */
  strict?: boolean;
  /**
   * Largest image (width * height, in pixels) to decode; larger headers throw before any
   * allocation. Default 2^28 (268 megapixels; Pillow's decompression-bomb error starts at 179).
   */
  maxPixels?: number;
}

/** Details of a decoded file, from {@link decodeJpegCoefficients}. */
export interface DecodedJpeg {
  coefficients: JpegCoefficients;
  /** How libjpeg interprets the three components (JFIF/Adobe markers and component ids). */
  colorTransform: JpegColorTransform;
  /** Number of damage warnings libjpeg would print for this file. */
  warnings: number;
}

interface FrameComponent {
  id: number;
  h: number;
  v: number;
  tq: number;
  quant: Uint16Array | null;
  blocksWide: number;
  blocksHigh: number;
  /** Blocks that hold real samples (libjpeg's width_in_blocks / height_in_blocks). */
  widthInBlocks: number;
  heightInBlocks: number;
  coefficients: Int16Array | null;
}

interface Frame {
  width: number;
  height: number;
  progressive: boolean;
  /** Per component, libjpeg's coef_bits: the Al of the last scan of each zigzag position, -1 if none. */
  coefBits: Int32Array[];
  /** Per component, coef_bits as they were when the component's latest scan began. */
  prevCoefBits: Int32Array[];
  /** libjpeg's last_good_iMCU_row: the last iMCU row decoded before data ran out. */
  lastGoodIMcuRow: number;
  maxH: number;
  maxV: number;
  mcusX: number;
  mcusY: number;
  components: FrameComponent[];
}

class JpegError extends Error {}

function fail(message: string): never {
  throw new JpegError(message);
}

const SOF_NAMES: Record<number, string> = {
  0xc3: 'lossless', 0xc5: 'differential sequential', 0xc6: 'differential progressive', 0xc7: 'differential lossless',
  0xc9: 'arithmetic-coded sequential', 0xca: 'arithmetic-coded progressive', 0xcb: 'arithmetic-coded lossless',
  0xcd: 'arithmetic-coded differential sequential', 0xce: 'arithmetic-coded differential progressive',
  0xcf: 'arithmetic-coded differential lossless',
};

/**
 * Parses a JPEG file into its quantized DCT coefficients (baseline, extended sequential and
 * progressive Huffman, 8-bit, 1 or 3 components), the structure `inverseJpeg` turns into pixels.
 *
 * For progressive files whose first AC coefficients remain approximate, the coefficients are
 * returned after libjpeg's block smoothing (what its IDCT receives).
 *
 * @throws Error with the reason for non-JPEG, truncated, damaged or unsupported files.
 *
 * @example
 * const { coefficients } = decodeJpegCoefficients(bytes);
 * console.log(coefficients.components[0].quantTable); // the luma table of the file
 */
export function decodeJpegCoefficients(bytes: Uint8Array, options: DecodeJpegOptions = {}): DecodedJpeg {
  checkBytes(bytes);
  checkOptions(options);
  try {
    return parse(bytes, options);
  } catch (e) {
    throw rethrow(e);
  }
}

function checkBytes(bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`bytes must be a Uint8Array, got ${describe(bytes)}`);
}

function checkOptions(options: unknown): asserts options is DecodeJpegOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object, got ${describe(options)}`);
  const o = options as DecodeJpegOptions;
  if (o.strict !== undefined && typeof o.strict !== 'boolean') throw new TypeError(`options.strict must be a boolean, got ${describe(o.strict)}`);
  if (o.maxPixels !== undefined && (typeof o.maxPixels !== 'number' || !(o.maxPixels >= 1))) {
    throw new RangeError(`options.maxPixels must be a number >= 1, got ${describe(o.maxPixels)}`);
  }
}

function rethrow(e: unknown): Error {
  if (e instanceof JpegError) return new Error(e.message);
  if (e instanceof Error && e.message.startsWith('truncated JPEG')) return e;
  if (e instanceof Error && e.message.startsWith('invalid JPEG')) return e;
  if (e instanceof RangeError) return new Error(`JPEG could not be decoded: ${e.message}`);
  if (e instanceof Error) return e;
  return new Error(`JPEG could not be decoded: ${String(e)}`);
}

/**
 * Decodes a JPEG file to an {@link Image} (grayscale for 1 component, RGB for 3).
 *
 * Baseline, extended-sequential and progressive Huffman files, 8-bit, with 1 or 3 components
 * and any sampling factors libjpeg supports, give exactly the pixels Pillow 9.4 (libjpeg-turbo
 * 2.1.5, default settings: islow IDCT, fancy upsampling, block smoothing of progressive files
 * whose low frequencies remain approximate) gives. Arithmetic-coded, lossless, hierarchical,
 * 12-bit, 2- and 4-component (CMYK, YCCK) files throw.
 *
 * @param bytes the whole file.
 * @param options `strict` (default false), `maxPixels` (default 2^28).
 * @throws Error with a reason for empty, non-JPEG, truncated, corrupt or unsupported data.
 *   It never hangs and never returns an image whose data disagrees with its size.
 *
 * @example
 * import { readFileSync } from 'node:fs';
 * const image = decodeJpeg(readFileSync('photo.jpg'));
 * console.log(image.width, image.height, image.channels);
 */
export function decodeJpeg(bytes: Uint8Array, options: DecodeJpegOptions = {}): Image {
  checkBytes(bytes);
  checkOptions(options);
  let decoded: DecodedJpeg;
  try {
    decoded = parse(bytes, options);
  } catch (e) {
    throw rethrow(e);
  }
  const c = decoded.coefficients;
  const channels = c.components.length === 1 ? 1 : 3;
  let data: Uint8Array;
  try {
    data = new Uint8Array(c.width * c.height * channels);
  } catch (e) {
    throw rethrow(e);
  }
  try {
    inverseJpegInto(c, data, 0, decoded.colorTransform);
  } catch (e) {
    throw rethrow(e);
  }
  return { width: c.width, height: c.height, channels, data };
}

const DEFAULT_MAX_PIXELS = 2 ** 28;

function parse(bytes: Uint8Array, options: DecodeJpegOptions): DecodedJpeg {
  const strict = options.strict === true;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const n = bytes.length;
  if (n === 0) fail('not a JPEG file: the data is empty');
  if (n < 2 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    fail(`not a JPEG file: it must start with the SOI marker FF D8, got ${Array.from(bytes.subarray(0, 2), (b) => b.toString(16).padStart(2, '0')).join(' ')}`);
  }
  let pos = 2;
  let warnings = 0;
  const warn = (message: string): void => {
    warnings++;
    if (strict) fail(`corrupt JPEG (strict): ${message}`);
  };
  const quant: (Uint16Array | null)[] = [null, null, null, null];
  // Annex K tables in empty slots 0 and 1, as libjpeg-turbo loads them (Motion-JPEG without DHT)
  const dcSpecs: (HuffmanSpec | null)[] = [ANNEX_K_DC_LUMINANCE, ANNEX_K_DC_CHROMINANCE, null, null];
  const acSpecs: (HuffmanSpec | null)[] = [ANNEX_K_AC_LUMINANCE, ANNEX_K_AC_CHROMINANCE, null, null];
  const dcTables: (HuffmanDecodeTable | null)[] = [null, null, null, null];
  const acTables: (HuffmanDecodeTable | null)[] = [null, null, null, null];
  let restartInterval = 0;
  let sawJfif = false;
  let adobeTransform = -1;
  let frame: Frame | null = null;
  let scans = 0;
  /** Marker already read by the entropy decoder (libjpeg's unread_marker), 0 if none. */
  let pending = 0;

  const u16 = (p: number): number => (bytes[p] << 8) | bytes[p + 1];
  /** Reads a marker segment's length and checks it fits in the data; returns its end. */
  const segment = (name: string): number => {
    if (pos + 2 > n) fail(`truncated JPEG: the ${name} marker segment at byte ${pos - 2} is cut off`);
    const len = u16(pos);
    if (len < 2) fail(`invalid JPEG: the ${name} marker segment at byte ${pos - 2} has length ${len} < 2`);
    if (pos + len > n) fail(`truncated JPEG: the ${name} marker segment at byte ${pos - 2} needs ${len} bytes, ${n - pos} remain`);
    return pos + len;
  };
  /** libjpeg's next_marker: skips stray bytes, then FF fill bytes; returns the marker code. */
  const nextMarker = (): number => {
    let skipped = 0;
    for (;;) {
      while (pos < n && bytes[pos] !== 0xff) {
        pos++;
        skipped++;
      }
      while (pos < n && bytes[pos] === 0xff) pos++;
      if (pos >= n) return -1;
      const c = bytes[pos++];
      if (c !== 0) {
        if (skipped > 0) warn(`${skipped} extraneous bytes before marker 0x${c.toString(16)}`);
        return c;
      }
      skipped += 2;
    }
  };

  const complete = (): boolean => frame !== null && scans > 0 && frame.components.every((c) => c.coefficients !== null);
  for (;;) {
    try {
      if (!step()) break;
    } catch (e) {
      // Damage after the image data is complete: libjpeg would only meet it while finishing
      // (Pillow ignores it); keep the image.
      if (!(e instanceof JpegError) || !complete()) throw e;
      warn(`after the image data: ${e.message}`);
      break;
    }
  }
  /** Reads and handles one marker; false at the end of the image. */
  function step(): boolean {
    let marker: number;
    if (pending !== 0) {
      marker = pending;
      pending = 0;
    } else {
      marker = nextMarker();
    }
    if (marker < 0) {
      if (complete()) return false; // no EOI: accept
      if (!frame) fail('truncated JPEG: the data ends before a frame header (SOF)');
      fail('truncated JPEG: the data ends before the image data (SOS)');
    }
    if (marker === 0xd9) {
      if (!frame) fail('invalid JPEG: end of image (EOI) before any frame header: the file contains no image');
      if (scans === 0) fail('invalid JPEG: end of image (EOI) before any scan: the file contains no image data');
      return false;
    }
    if (marker === 0xd8) fail(`invalid JPEG: a second start-of-image marker at byte ${pos - 2}`);
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) return true; // RSTn, TEM: no parameters
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const end = segment('SOF');
      if (frame) fail(`invalid JPEG: a second frame header (SOF) at byte ${pos - 4}`);
      if (marker !== 0xc0 && marker !== 0xc1 && marker !== 0xc2) {
        fail(`unsupported JPEG: ${SOF_NAMES[marker] ?? 'unknown'} coding (SOF${(marker - 0xc0).toString()}) is not supported; only baseline, extended sequential and progressive Huffman files are`);
      }
      if (end - pos < 8) fail(`invalid JPEG: the frame header at byte ${pos - 2} is too short`);
      const precision = bytes[pos + 2];
      const height = u16(pos + 3);
      const width = u16(pos + 5);
      const nc = bytes[pos + 7];
      if (end - pos !== 8 + 3 * nc) fail(`invalid JPEG: the frame header length ${end - pos} does not match its ${nc} components`);
      if (precision !== 8) fail(`unsupported JPEG: ${precision}-bit samples (only 8-bit JPEG is supported)`);
      if (width === 0 || height === 0) fail(`invalid JPEG: the frame header gives an empty image ${width}x${height} (a DNL-defined height is not supported)`);
      if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) fail(`unsupported JPEG: ${width}x${height} exceeds the maximum side ${MAX_IMAGE_SIDE}`);
      if (nc === 4) fail('unsupported JPEG: 4-component (CMYK or YCCK) images are not supported');
      if (nc !== 1 && nc !== 3) fail(`unsupported JPEG: ${nc}-component images are not supported (1 or 3 only)`);
      if (width * height > maxPixels) fail(`JPEG too large: ${width}x${height} = ${width * height} pixels exceeds maxPixels = ${maxPixels}`);
      const components: FrameComponent[] = [];
      let maxH = 1;
      let maxV = 1;
      for (let i = 0; i < nc; i++) {
        const p = pos + 8 + 3 * i;
        const h = bytes[p + 1] >> 4;
        const v = bytes[p + 1] & 15;
        if (h < 1 || h > 4 || v < 1 || v > 4) fail(`invalid JPEG: component ${bytes[p]} has sampling factors ${h}x${v} (allowed 1..4)`);
        const tq = bytes[p + 2];
        if (tq > 3) fail(`invalid JPEG: component ${bytes[p]} uses quantization table ${tq} (allowed 0..3)`);
        maxH = Math.max(maxH, h);
        maxV = Math.max(maxV, v);
        components.push({ id: bytes[p], h, v, tq, quant: null, blocksWide: 0, blocksHigh: 0, widthInBlocks: 0, heightInBlocks: 0, coefficients: null });
      }
      if (marker === 0xc2) {
        // Each block takes at least one bit (its first DC scan): a huge header on a small file
        // fails here, before anything is allocated.
        let blocks = 0;
        for (const c of components) blocks += Math.ceil(Math.ceil((width * c.h) / maxH) / 8) * Math.ceil(Math.ceil((height * c.v) / maxV) / 8);
        if ((n - end) * 8 < blocks) fail(`truncated JPEG: a ${width}x${height} progressive image of ${blocks} blocks needs at least ${Math.ceil(blocks / 8)} bytes of data, only ${n - end} remain`);
      }
      const mcusX = Math.ceil(width / (8 * maxH));
      const mcusY = Math.ceil(height / (8 * maxV));
      for (const c of components) {
        c.blocksWide = mcusX * c.h;
        c.blocksHigh = mcusY * c.v;
        c.widthInBlocks = Math.ceil(Math.ceil((width * c.h) / maxH) / 8);
        c.heightInBlocks = Math.ceil(Math.ceil((height * c.v) / maxV) / 8);
        // Check the sampling ratios now (libjpeg fails on fractional ones at start of output).
        if (nc === 3 && (maxH % c.h !== 0 || maxV % c.v !== 0)) {
          fail(`unsupported JPEG: sampling factors ${c.h}x${c.v} of ${maxH}x${maxV} are a fractional ratio, which libjpeg does not support`);
        }
      }
      frame = {
        width, height, progressive: marker === 0xc2, coefBits: components.map(() => new Int32Array(64).fill(-1)),
        prevCoefBits: components.map(() => new Int32Array(64)), lastGoodIMcuRow: 0,
        maxH, maxV, mcusX, mcusY, components,
      };
      pos = end;
      return true;
    }
    switch (marker) {
      case 0xc4: {
        // DHT
        const end = segment('DHT');
        let p = pos + 2;
        while (end - p > 16) {
          let index = bytes[p];
          const counts = bytes.slice(p + 1, p + 17);
          let count = 0;
          for (let l = 0; l < 16; l++) count += counts[l];
          p += 17;
          if (count > 256 || count > end - p) fail(`invalid JPEG: a Huffman table at byte ${p - 17} lists ${count} symbols, more than ${Math.min(256, end - p)}`);
          const symbols = bytes.slice(p, p + count);
          p += count;
          const isAC = (index & 0x10) !== 0;
          if (isAC) index -= 0x10;
          if (index > 3) fail(`invalid JPEG: Huffman table index ${bytes[p - count - 17]} out of range`);
          (isAC ? acSpecs : dcSpecs)[index] = { counts, symbols };
          (isAC ? acTables : dcTables)[index] = null;
        }
        if (p !== end) fail(`invalid JPEG: the DHT marker segment at byte ${pos - 4} has ${end - p} stray bytes`);
        pos = end;
        break;
      }
      case 0xdb: {
        // DQT
        const end = segment('DQT');
        let p = pos + 2;
        while (p < end) {
          const pq = bytes[p] >> 4;
          const tq = bytes[p] & 15;
          if (tq > 3) fail(`invalid JPEG: quantization table index ${tq} out of range (0..3)`);
          const size = pq ? 128 : 64;
          if (p + 1 + size > end) fail(`invalid JPEG: the quantization table ${tq} at byte ${p} is cut off`);
          const table = new Uint16Array(64);
          for (let k = 0; k < 64; k++) table[NATURAL_ORDER[k]] = pq ? u16(p + 1 + 2 * k) : bytes[p + 1 + k];
          quant[tq] = table;
          p += 1 + size;
        }
        pos = end;
        break;
      }
      case 0xdd: {
        // DRI
        const end = segment('DRI');
        if (end - pos !== 4) fail(`invalid JPEG: the DRI marker segment has length ${end - pos}, expected 4`);
        restartInterval = u16(pos + 2);
        pos = end;
        break;
      }
      case 0xda: {
        // SOS
        const end = segment('SOS');
        if (!frame) fail('invalid JPEG: a scan (SOS) before the frame header (SOF)');
        const ns = bytes[pos + 2];
        if (ns < 1 || ns > 4 || end - pos !== 6 + 2 * ns) fail(`invalid JPEG: the scan header at byte ${pos - 2} has a bad length for ${ns} components`);
        const scanComps: FrameComponent[] = [];
        const dcs: HuffmanDecodeTable[] = [];
        const acs: HuffmanDecodeTable[] = [];
        for (let i = 0; i < ns; i++) {
          const id = bytes[pos + 3 + 2 * i];
          const tables = bytes[pos + 4 + 2 * i];
          const comp = frame.components.find((c) => c.id === id && !scanComps.includes(c));
          if (!comp) fail(`invalid JPEG: the scan refers to component id ${id}, which the frame does not define (or twice)`);
          const td = tables >> 4;
          const ta = tables & 15;
          // Sequential scans use both tables; progressive DC-first scans the DC table only,
          // DC refinements none, AC scans the AC table only (jdhuff.c, jdphuff.c): only the
          // tables used are checked, as libjpeg does.
          const ssByte = bytes[end - 3];
          const ahByte = bytes[end - 1] >> 4;
          const needDC = !frame.progressive || (ssByte === 0 && ahByte === 0);
          const needAC = !frame.progressive || ssByte !== 0;
          if ((needDC && td > 3) || (needAC && ta > 3)) fail(`invalid JPEG: component ${id} uses Huffman tables ${td}/${ta} (allowed 0..3)`);
          const dSpec = dcSpecs[td];
          const aSpec = acSpecs[ta];
          if (needDC && !dSpec) fail(`invalid JPEG: DC Huffman table ${td} is used but not defined`);
          if (needAC && !aSpec) fail(`invalid JPEG: AC Huffman table ${ta} is used but not defined`);
          dcs.push(needDC ? (dcTables[td] ??= cachedTable(dSpec!, true, `DC ${td}`)) : EMPTY_TABLE);
          acs.push(needAC ? (acTables[ta] ??= cachedTable(aSpec!, false, `AC ${ta}`)) : EMPTY_TABLE);
          scanComps.push(comp);
        }
        const ss = bytes[end - 3];
        const se = bytes[end - 2];
        const a = bytes[end - 1];
        const ah = a >> 4;
        const al = a & 15;
        if (frame.progressive) {
          const isDC = ss === 0;
          const bad = (isDC ? se !== 0 : ss > se || se > 63 || ns !== 1) || (ah !== 0 && al !== ah - 1) || al > 13;
          if (bad) fail(`invalid JPEG: bad progression parameters Ss=${ss} Se=${se} Ah=${ah} Al=${al}`);
          for (const c of scanComps) {
            const bits = frame.coefBits[frame.components.indexOf(c)];
            const prev = frame.prevCoefBits[frame.components.indexOf(c)];
            if (!isDC && bits[0] < 0) warn(`an AC scan of component ${c.id} before its DC scan`);
            for (let k = Math.min(ss, 1); k <= Math.max(se, 9); k++) prev[k] = scans > 0 ? bits[k] : 0;
            for (let k = ss; k <= se; k++) {
              if (ah !== (bits[k] < 0 ? 0 : bits[k])) warn(`scan of component ${c.id}, coefficient ${k}: Ah=${ah} does not follow the previous scans`);
              bits[k] = al;
            }
          }
        } else if (ss !== 0 || se !== 63 || a !== 0) {
          warn(`the scan header of a sequential file gives Ss=${ss} Se=${se} Ah/Al=${a}`);
        }
        let blocksInMcu = 0;
        for (const c of scanComps) blocksInMcu += c.h * c.v;
        if (ns > 1 && blocksInMcu > 10) fail(`invalid JPEG: an MCU of ${blocksInMcu} blocks exceeds the limit of 10`);
        // Latch quantization tables and allocate coefficients, after a plausibility check: each
        // block takes at least 2 bits, so a huge header on a tiny file fails here. (Small images
        // cut short are decoded as libjpeg does, the missing part gray.)
        let scanBlocks = 0;
        for (const c of scanComps) scanBlocks += ns === 1 ? c.widthInBlocks * c.heightInBlocks : c.blocksWide * c.blocksHigh;
        const minBytes = Math.ceil(scanBlocks / 4);
        if (!frame.progressive && n - end < minBytes && scanBlocks > 65536) {
          fail(`truncated JPEG: a ${frame.width}x${frame.height} scan of ${scanBlocks} blocks needs at least ${minBytes} bytes of data, only ${n - end} remain`);
        }
        for (const c of scanComps) {
          if (!c.quant) {
            const q = quant[c.tq];
            if (!q) fail(`invalid JPEG: quantization table ${c.tq} is used by component ${c.id} but not defined`);
            c.quant = q.slice();
          }
          c.coefficients ??= new Int16Array(c.blocksWide * c.blocksHigh * 64);
        }
        pos = end;
        const reader = new JpegBitReader(bytes, pos);
        if (frame.progressive) decodeProgressiveScan(reader, frame, scanComps, dcs, acs, restartInterval, ss, se, ah, al, warn);
        else decodeScan(reader, frame, scanComps, dcs, acs, restartInterval, warn);
        if (reader.badCodes > 0) warn(`${reader.badCodes} invalid Huffman codes`);
        scans++;
        pos = reader.pos;
        pending = reader.marker;
        break;
      }
      case 0xe0: case 0xe1: case 0xe2: case 0xe3: case 0xe4: case 0xe5: case 0xe6: case 0xe7:
      case 0xe8: case 0xe9: case 0xea: case 0xeb: case 0xec: case 0xed: case 0xee: case 0xef: {
        const end = segment(`APP${marker - 0xe0}`);
        const len = end - pos - 2;
        const p = pos + 2;
        if (marker === 0xe0 && len >= 14 && bytes[p] === 0x4a && bytes[p + 1] === 0x46 && bytes[p + 2] === 0x49 && bytes[p + 3] === 0x46 && bytes[p + 4] === 0) {
          sawJfif = true;
        }
        if (marker === 0xee && len >= 12 && bytes[p] === 0x41 && bytes[p + 1] === 0x64 && bytes[p + 2] === 0x6f && bytes[p + 3] === 0x62 && bytes[p + 4] === 0x65) {
          adobeTransform = bytes[p + 11];
        }
        pos = end;
        break;
      }
      case 0xfe: // COM
      case 0xcc: // DAC (arithmetic conditioning; harmless to skip)
      case 0xdc: // DNL
        pos = segment(marker === 0xfe ? 'COM' : marker === 0xcc ? 'DAC' : 'DNL');
        break;
      default:
        if (complete()) {
          // Garbage after a complete image: libjpeg would only meet it in jpeg_finish_decompress.
          warn(`unknown marker 0x${marker.toString(16)} after the image data`);
          pos = n;
          pending = 0;
          break;
        }
        fail(`invalid JPEG: unknown marker 0x${marker.toString(16)} at byte ${pos - 2}`);
    }
    if (pos >= n && pending === 0 && complete()) return false;
    return true;
  }
  const f = frame!;
  const smooth = f.progressive && blockSmoothingApplies(f);
  let colorTransform: JpegColorTransform = 'ycbcr';
  if (f.components.length === 3) {
    if (sawJfif) colorTransform = 'ycbcr';
    else if (adobeTransform >= 0) colorTransform = adobeTransform === 0 ? 'rgb' : 'ycbcr';
    else if (f.components[0].id === 82 && f.components[1].id === 71 && f.components[2].id === 66) colorTransform = 'rgb';
  }
  const components: JpegComponentCoefficients[] = f.components.map((c) => ({
    id: c.id,
    h: c.h,
    v: c.v,
    quantTable: c.quant ?? new Uint16Array(64),
    blocksWide: c.blocksWide,
    blocksHigh: c.blocksHigh,
    coefficients: c.coefficients ?? new Int16Array(c.blocksWide * c.blocksHigh * 64),
  }));
  if (smooth) {
    components.forEach((c, ci) => {
      c.coefficients = smoothBlocks(f, ci, c.coefficients, scans);
    });
  }
  return { coefficients: { width: f.width, height: f.height, components }, colorTransform, warnings };
}

/** The MCU geometry of one scan, shared by sequential and progressive decoding. */
interface ScanLayout {
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
function scanLayout(frame: Frame, comps: FrameComponent[]): ScanLayout {
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

/** Decodes the MCUs of one sequential scan into the components' coefficient arrays. */
function decodeScan(
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

/** libjpeg's process_restart / read_restart_marker / jpeg_resync_to_restart. */
function processRestart(reader: JpegBitReader, expected: number, warn: (message: string) => void): void {
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

const EMPTY_TABLE: HuffmanDecodeTable = {
  lookup: new Int32Array(512),
  maxcode: Int32Array.from({ length: 18 }, (_, l) => (l === 17 ? 0xfffff : -1)),
  valoffset: new Int32Array(18),
  symbols: new Uint8Array(256),
};

/**
 * libjpeg's smoothing_ok (jdcoefct.c, libjpeg-turbo 2.1.5; `do_block_smoothing` is on by
 * default): block smoothing runs when every
 * component has a DC scan and non-zero low quantizers, and some of the first nine AC positions
 * of some component are still approximate (never sent, or not refined down to Al = 0).
 */
function blockSmoothingApplies(f: Frame): boolean {
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

/** Decodes one progressive scan (jdphuff.c): DC first / refine (interleaved), AC first / refine. */
function decodeProgressiveScan(
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

/** Decoding tables of recently seen Huffman specs (most files use the same few tables). */
const tableCache = new Map<string, HuffmanDecodeTable>();

function cachedTable(spec: HuffmanSpec, isDC: boolean, name: string): HuffmanDecodeTable {
  let key = isDC ? 'D' : 'A';
  for (let l = 0; l < 16; l++) key += String.fromCharCode(spec.counts[l]);
  let count = 0;
  for (let l = 0; l < 16; l++) count += spec.counts[l];
  for (let i = 0; i < count && i < spec.symbols.length; i++) key += String.fromCharCode(spec.symbols[i]);
  let table = tableCache.get(key);
  if (!table) {
    table = buildHuffmanDecodeTable(spec, isDC, name); // throws on invalid tables: never cached
    if (tableCache.size >= 64) tableCache.clear();
    tableCache.set(key, table);
  }
  return table;
}

/**
 * libjpeg's block smoothing for progressive files whose first AC coefficients remain
 * approximate (jdcoefct.c decompress_smooth_data, libjpeg-turbo 2.1.5): for every block, each of
 * the first nine AC coefficients (zigzag 1..9) that is still zero and not known exactly is
 * estimated from the DC values of the 5x5 neighbouring blocks (and, when no AC data at all has
 * arrived, the DC itself is interpolated). Returns a smoothed copy of the component's
 * coefficients; neighbour lookups follow libjpeg's iMCU-row buffering exactly, quirks included.
 */
function smoothBlocks(f: Frame, ci: number, coefs: Int16Array, scansRead: number): Int16Array {
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
