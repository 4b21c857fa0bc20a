/**
 * The quantization step of one encode: the two tables (natural order) and libjpeg-turbo's
 * reciprocal divisors of each (jcdctmgr.c `compute_reciprocal`, 16-bit DCTELEM as in its SIMD
 * builds), shared by the JavaScript forward path (forward.ts) and the WebAssembly kernel
 * (roundtrip-wasm.ts). The tables are either the IJG tables of a quality (cached) or tables the
 * caller supplies (`options.tables`, used exactly as given).
 */
import { cachedTables, checkCustomTables, type CustomQuantizationTables, type QuantizationTables } from './quantization.js';

/**
 * For each of the 64 natural-order entries: reciprocal, correction (rounding term) and total
 * right shift, so that `q = ((|x| + corr) * recip) >> shift`, sign restored; `scale` is
 * `recip / 2^shift`, exact in a double, so that `q = trunc((|x| + corr) * scale)` (the product
 * is below 2^31, so it is computed exactly).
 */
export interface Divisors {
  recip: Int32Array;
  corr: Int32Array;
  shift: Int32Array;
  scale: Float64Array;
}

/**
 * libjpeg-turbo's reciprocal quantization divisors of a quantization table.
 * @internal
 * @example
 * computeDivisors(jpegQuantizationTables(50).luma).corr[0]; // 64 (divisor 8 * 16 = 128, rounding 128 / 2)
 */
export function computeDivisors(table: Uint16Array): Divisors {
  const recip = new Int32Array(64);
  const corr = new Int32Array(64);
  const shift = new Int32Array(64);
  for (let i = 0; i < 64; i++) {
    const divisor = (table[i] << 3) & 0xffff; // UINT16 argument in C
    if (divisor <= 1) {
      // identity (only reachable with divisor 1, which an 8x-scaled table never gives)
      recip[i] = 1;
      corr[i] = 0;
      shift[i] = 0;
      continue;
    }
    const b = 31 - Math.clz32(divisor); // flss(divisor) - 1
    let r = 16 + b;
    const pow = 2 ** r;
    let fq = Math.floor(pow / divisor);
    const fr = pow - fq * divisor;
    let c = divisor >> 1;
    if (fr === 0) {
      fq >>= 1;
      r--;
    } else if (fr <= divisor >> 1) {
      c++;
    } else {
      fq++;
    }
    recip[i] = fq & 0xffff;
    corr[i] = c & 0xffff;
    shift[i] = r;
  }
  const scale = new Float64Array(64);
  for (let i = 0; i < 64; i++) scale[i] = recip[i] / 2 ** shift[i];
  return { recip, corr, shift, scale };
}

/** The tables of one encode and their divisors (never modify: quality quantizers are shared). */
export interface JpegQuantizer {
  tables: QuantizationTables;
  luma: Divisors;
  chroma: Divisors;
}

const qualityCache = new Map<number, JpegQuantizer>();

/**
 * The quantizer of `quality`'s baseline IJG tables (cached), or, when `tables` is given, of those
 * tables exactly (validated; `quality` is then not used). `name` prefixes error messages.
 * @internal
 * @example
 * jpegQuantizer(75).tables.luma[0]; // 8
 * jpegQuantizer(75, { luma: new Array(64).fill(2), chroma: new Array(64).fill(3) }).tables.luma[0]; // 2
 */
export function jpegQuantizer(quality: number, tables?: CustomQuantizationTables, name = 'options.tables'): JpegQuantizer {
  if (tables !== undefined) {
    const t = checkCustomTables(tables, name);
    return { tables: t, luma: computeDivisors(t.luma), chroma: computeDivisors(t.chroma) };
  }
  let q = qualityCache.get(quality);
  if (q === undefined) {
    const t = cachedTables(quality, true);
    q = { tables: t, luma: computeDivisors(t.luma), chroma: computeDivisors(t.chroma) };
    qualityCache.set(quality, q);
  }
  return q;
}
