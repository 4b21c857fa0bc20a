/**
 * The bits at the knee: measured from the real files, and the paper's arithmetic beside them,
 * with a flag where that arithmetic saturates.
 */
import { bitsPerPixel } from '../image/bits.js';
import { checkNumber, describe } from '../util/checks.js';
import { codecDisplayName, type LevelNaming } from './naming.js';
import type { ContentBits } from './types.js';

/** A level's bits as the content summary sees them: `LevelResult.bits` fits. */
export interface LevelBitsLike {
  unit: 'bits/pixel' | 'bits/s';
  paper?: number;
  tables?: number;
  nominal?: number;
  measured: number;
}

/** Options of {@link contentBitsAt}. */
export interface ContentBitsOptions extends LevelNaming {
  /** Bits per pixel of the source (16 for RGB as 4:2:0, 8 for gray). Default 16. */
  sourceBits?: number;
}

/**
 * The content bits at one level (the knee): `measured` from the level's files, `paper` (and
 * `tables`) from the level's bits or, when absent, from `bitsPerPixel` (JPEG only). For JPEG,
 * `paperSaturated` is true where the paper's formula clamps: where log2 of the scaled table sum
 * reaches `sourceBits` (remaining 0: below q 10 for 16-bit RGB, almost everywhere for 8-bit
 * gray) or at q 100 (no quantization, the formula is undefined). Audio (`bits/s`): `paper` is
 * the nominal bitrate and never saturates.
 *
 * @example
 * contentBitsAt({ level: 5, bits: { unit: 'bits/pixel', measured: 0.21 } });
 * // { paper: 0, tables: 0.39.., measured: 0.21, unit: 'bits/pixel', paperSaturated: true }
 */
export function contentBitsAt(level: { level: number; bits: LevelBitsLike }, options: ContentBitsOptions = {}): ContentBits {
  const bits = level?.bits;
  if (typeof bits !== 'object' || bits === null) throw new TypeError(`level.bits must be an object { unit, measured, ... }, got ${describe(bits)}`);
  const measured = checkNumber('level.bits.measured', bits.measured, 0);
  if (bits.unit === 'bits/s') {
    return { paper: bits.nominal ?? bits.paper ?? level.level * 1000, measured, unit: 'bits/s', paperSaturated: false };
  }
  const sourceBits = checkNumber('sourceBits', options.sourceBits ?? 16, 0);
  const codec = (options.codec ?? 'jpeg').toLowerCase();
  if (codec !== 'jpeg') {
    return { paper: bits.paper ?? NaN, ...(bits.tables === undefined ? {} : { tables: bits.tables }), measured, unit: 'bits/pixel', paperSaturated: false };
  }
  const paper = bitsPerPixel(level.level, { method: 'paper', sourceBits });
  const tables = bits.tables ?? bitsPerPixel(level.level, { method: 'tables', sourceBits }).remainingBits;
  return {
    paper: bits.paper ?? paper.remainingBits,
    tables,
    measured,
    unit: 'bits/pixel',
    paperSaturated: paper.remainingBits <= 0 || level.level === 100,
  };
}

/** A bits figure with enough digits never to read "0.00": 2 decimals, 2 significant digits below 0.1. */
export function formatBitsValue(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value === 0) return '0';
  if (Math.abs(value) < 0.1) return value.toPrecision(2);
  return value.toFixed(2);
}

/**
 * The content bits in words, leading with the measured bits of the real files and the paper's
 * figure beside them, saying when its formula saturates (never "0.00 bits" as a finding).
 *
 * @example
 * formatContentBits({ paper: 0, tables: 0, measured: 0.57, unit: 'bits/pixel', paperSaturated: true });
 * // '0.57 bits per pixel measured in the real JPEG files; the paper's formula saturates here (it clamps to 0 bits), so it gives no figure.'
 */
export function formatContentBits(content: ContentBits, naming: LevelNaming = {}): string {
  if (content.unit === 'bits/s') {
    return `${(content.measured / 1000).toFixed(1)} kbit/s measured in the real ${codecDisplayName({ modality: 'audio', ...naming })} streams (nominal ${(content.paper / 1000).toFixed(0)} kbit/s).`;
  }
  const codec = codecDisplayName({ modality: 'image', ...naming });
  const lead = Number.isFinite(content.measured) && content.measured > 0
    ? `${formatBitsValue(content.measured)} bits per pixel measured in the real ${codec} files`
    : `no measured bits per pixel (no ${codec} file was measured)`;
  if (!Number.isFinite(content.paper)) return `${lead}.`;
  if (content.paperSaturated) {
    const clampTo = content.paper > 0 ? `the source's ${formatBitsValue(content.paper)} bits (no quantization)` : '0 bits';
    return `${lead}; the paper's formula saturates here (it clamps to ${clampTo}), so it gives no figure.`;
  }
  const tables =
    content.tables === undefined || !Number.isFinite(content.tables) ? ''
      : content.tables <= 0 ? ', and the real tables\' count clamps to 0' : `, the real tables ${formatBitsValue(content.tables)}`;
  return `${lead}; the paper's formula gives ${formatBitsValue(content.paper)}${tables}.`;
}
