/**
 * The marker parser of the decoder, after libjpeg-turbo 2.1.5's jdmarker.c: SOI, SOF0/1/2, DHT,
 * DQT, DRI, SOS (handing each scan to sequential.ts or progressive.ts), APP0 (JFIF) and APP14
 * (Adobe) for the colour transform, COM and the rest skipped; libjpeg's warnings counted (or
 * thrown with `strict`), block smoothing applied at the end (smoothing.ts).
 */
import {
  ANNEX_K_AC_CHROMINANCE, ANNEX_K_AC_LUMINANCE, ANNEX_K_DC_CHROMINANCE, ANNEX_K_DC_LUMINANCE,
} from '../annex-k.js';
import type { JpegCoefficients, JpegComponentCoefficients } from '../coefficients.js';
import { buildHuffmanDecodeTable, JpegBitReader, type HuffmanDecodeTable } from '../huffman-decode.js';
import type { HuffmanSpec } from '../huffman-spec.js';
import { MAX_IMAGE_SIDE } from '../image.js';
import type { JpegColorTransform } from '../inverse.js';
import { fail, JpegError, NATURAL_ORDER, type Frame, type FrameComponent } from './frame.js';
import { decodeProgressiveScan } from './progressive.js';
import { decodeSequentialScan } from './sequential.js';
import { blockSmoothingApplies, smoothBlocks } from './smoothing.js';

/** Details of a decoded file, from `decodeJpegCoefficients`. */
export interface DecodedJpeg {
  coefficients: JpegCoefficients;
  /** How libjpeg interprets the three components (JFIF/Adobe markers and component ids). */
  colorTransform: JpegColorTransform;
  /** Number of damage warnings libjpeg would print for this file. */
  warnings: number;
}

const SOF_NAMES: Record<number, string> = {
  0xc3: 'lossless', 0xc5: 'differential sequential', 0xc6: 'differential progressive', 0xc7: 'differential lossless',
  0xc9: 'arithmetic-coded sequential', 0xca: 'arithmetic-coded progressive', 0xcb: 'arithmetic-coded lossless',
  0xcd: 'arithmetic-coded differential sequential', 0xce: 'arithmetic-coded differential progressive',
  0xcf: 'arithmetic-coded differential lossless',
};

/**
 * Parses a whole file: markers, tables and every scan, into its coefficients (block-smoothed
 * where libjpeg smooths). `strict` turns libjpeg's warnings into errors; headers of more than
 * `maxPixels` pixels fail before any allocation.
 * @throws JpegError, or an Error whose message starts with "truncated JPEG" / "invalid JPEG".
 */
export function parseJpeg(bytes: Uint8Array, strict: boolean, maxPixels: number): DecodedJpeg {
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
        else decodeSequentialScan(reader, frame, scanComps, dcs, acs, restartInterval, warn);
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

const EMPTY_TABLE: HuffmanDecodeTable = {
  lookup: new Int32Array(512),
  maxcode: Int32Array.from({ length: 18 }, (_, l) => (l === 17 ? 0xfffff : -1)),
  valoffset: new Int32Array(18),
  symbols: new Uint8Array(256),
};

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
