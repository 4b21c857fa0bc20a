/**
 * JPEG quantization tables: as libjpeg (IJG) builds them from a quality 1..100 (the Annex K
 * example tables scaled by `jpeg_quality_scaling` and rounded, clamped and, by default, limited to
 * 8 bits as in `jpeg_add_quant_table`, libjpeg-turbo jcparam.c), or as a caller supplies them
 * (`options.tables`, checked by {@link checkCustomTables}).
 */
import { checkInteger, describe } from '../util/checks.js';
import { ANNEX_K_CHROMINANCE, ANNEX_K_LUMINANCE } from './annex-k.js';

/**
 * `JPEG_NATURAL_ORDER[k]` is the natural (row-major) index of the k-th coefficient in zigzag
 * order, the order of DQT entries and of the entropy-coded coefficients.
 */
export const JPEG_NATURAL_ORDER: Readonly<Uint8Array> = buildNaturalOrder();

function buildNaturalOrder(): Uint8Array {
  const order = new Uint8Array(64);
  let row = 0;
  let col = 0;
  for (let k = 0; k < 64; k++) {
    order[k] = row * 8 + col;
    if ((row + col) % 2 === 0) {
      // moving up-right
      if (col === 7) row++;
      else if (row === 0) col++;
      else { row--; col++; }
    } else if (row === 7) col++;
    else if (col === 0) row++;
    else { row++; col--; }
  }
  return order;
}

/**
 * IJG's quality scaling factor in percent (libjpeg `jpeg_quality_scaling`): `5000 / q` (integer
 * division) below 50, `200 - 2q` from 50 up. Quality 50 uses the Annex K tables as they are.
 *
 * @example
 * jpegQualityScaling(25); // 200
 * jpegQualityScaling(80); // 40
 */
export function jpegQualityScaling(quality: number): number {
  checkInteger('quality', quality, 1, 100);
  return quality < 50 ? Math.floor(5000 / quality) : 200 - 2 * quality;
}

/** Options of {@link jpegQuantizationTables}. */
export interface QuantizationTableOptions {
  /**
   * Limit entries to 1..255 so the tables fit baseline JPEG's 8-bit DQT entries, as Pillow
   * (`jpeg_set_quality(cinfo, q, TRUE)`) and `cjpeg -baseline` do. Default `true`; `false` allows
   * entries up to 32767 (only qualities 23 and below reach past 255).
   */
  forceBaseline?: boolean;
}

/** The two quantization tables of a quality, 64 entries each in natural row-major order. */
export interface QuantizationTables {
  luma: Uint16Array;
  chroma: Uint16Array;
}

const tableCache = new Map<number, QuantizationTables>();

/**
 * The luminance and chrominance quantization tables libjpeg uses at `quality` (natural row-major
 * order): each Annex K entry `e` becomes `floor((e * S(q) + 50) / 100)` clamped to 1..32767 and,
 * with `forceBaseline` (default `true`, as in Pillow), to at most 255.
 *
 * Returns fresh arrays the caller may modify.
 *
 * @example
 * const { luma, chroma } = jpegQuantizationTables(50);
 * luma[0]; // 16 (the Annex K table itself at quality 50)
 * jpegQuantizationTables(100).chroma[63]; // 1
 */
export function jpegQuantizationTables(
  quality: number,
  options: QuantizationTableOptions = {},
): QuantizationTables {
  const { forceBaseline = true } = options;
  if (typeof forceBaseline !== 'boolean') {
    throw new TypeError(`options.forceBaseline must be a boolean, got ${typeof forceBaseline}`);
  }
  const t = cachedTables(quality, forceBaseline);
  return { luma: t.luma.slice(), chroma: t.chroma.slice() };
}

/**
 * Same as {@link jpegQuantizationTables} but returns shared cached arrays (never modify them).
 * @internal
 */
export function cachedTables(quality: number, forceBaseline = true): QuantizationTables {
  checkInteger('quality', quality, 1, 100);
  const key = forceBaseline ? quality : -quality;
  let t = tableCache.get(key);
  if (t === undefined) {
    const scale = jpegQualityScaling(quality);
    t = {
      luma: scaleTable(ANNEX_K_LUMINANCE, scale, forceBaseline),
      chroma: scaleTable(ANNEX_K_CHROMINANCE, scale, forceBaseline),
    };
    tableCache.set(key, t);
  }
  return t;
}

function scaleTable(basic: readonly number[], scale: number, forceBaseline: boolean): Uint16Array {
  const out = new Uint16Array(64);
  for (let i = 0; i < 64; i++) {
    let v = Math.floor((basic[i] * scale + 50) / 100);
    if (v <= 0) v = 1;
    if (v > 32767) v = 32767;
    if (forceBaseline && v > 255) v = 255;
    out[i] = v;
  }
  return out;
}

/**
 * Quantization tables supplied by the caller (`options.tables` of `jpegRoundTrip`,
 * `jpegRoundTripBatch`, `encodeJpeg`, `forwardJpeg`): 64 luma and 64 chroma entries, each an
 * integer 1..255 (baseline JPEG's 8-bit DQT entries), in **natural row-major order** (entry
 * `8 * row + col` divides DCT coefficient (row, col); entry 0 is DC), the order of cjpeg's
 * `-qtables` file and of {@link jpegQuantizationTables}' result, not the zigzag order of the DQT
 * segment. Grayscale images use `luma` only (`chroma` is still checked).
 *
 * @example
 * const flat: CustomQuantizationTables = { luma: new Array(64).fill(4), chroma: new Array(64).fill(8) };
 * const q30 = jpegQuantizationTables(30); // IJG tables as a starting point, then edit entries
 */
export interface CustomQuantizationTables {
  luma: ArrayLike<number>;
  chroma: ArrayLike<number>;
}

/** Largest entry of a caller's table: baseline JPEG stores 8-bit entries. */
export const MAX_CUSTOM_TABLE_ENTRY = 255;

/**
 * Checks caller-supplied tables and returns copies (fresh `Uint16Array`s, natural order).
 * @throws TypeError/RangeError naming `name`, the table, the index and the bad value.
 * @internal
 * @example
 * checkCustomTables({ luma: new Array(64).fill(1), chroma: new Array(64).fill(1) }, 'options.tables');
 */
export function checkCustomTables(value: unknown, name: string): QuantizationTables {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`${name} must be an object { luma, chroma } of two 64-entry tables in natural order, got ${describe(value)}`);
  }
  const t = value as Partial<CustomQuantizationTables>;
  return { luma: checkTable(`${name}.luma`, t.luma), chroma: checkTable(`${name}.chroma`, t.chroma) };
}

function checkTable(name: string, table: unknown): Uint16Array {
  const like = typeof table === 'object' && table !== null && typeof (table as ArrayLike<number>).length === 'number';
  if (!like) {
    throw new TypeError(`${name} must be an array of 64 integers 1..${MAX_CUSTOM_TABLE_ENTRY} in natural order, got ${describe(table)}`);
  }
  const arr = table as ArrayLike<unknown>;
  if (arr.length !== 64) {
    throw new RangeError(`${name} must hold exactly 64 entries (natural order), got ${arr.length}`);
  }
  const out = new Uint16Array(64);
  for (let i = 0; i < 64; i++) {
    const v = arr[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_CUSTOM_TABLE_ENTRY) {
      throw new RangeError(
        `${name}[${i}] must be an integer in 1..${MAX_CUSTOM_TABLE_ENTRY} (baseline JPEG), got ${describe(v)}`,
      );
    }
    out[i] = v;
  }
  return out;
}
