import { describe, expect, it } from 'vitest';
import {
  ANNEX_K_CHROMINANCE, ANNEX_K_LUMINANCE, JPEG_NATURAL_ORDER, jpegQualityScaling, jpegQuantizationTables,
} from '../../src/image/index.js';
import { loadJpegFixtures, readJpegFixtureFile } from './jpeg-fixtures.js';

const sum = (t: ArrayLike<number>): number => Array.from(t).reduce((a, b) => a + b, 0);

/** The DQT tables of a JPEG file, natural order, by table id. */
function dqtTables(bytes: Uint8Array): Map<number, number[]> {
  const out = new Map<number, number[]>();
  let i = 2;
  while (i < bytes.length && bytes[i + 1] !== 0xda) {
    const len = (bytes[i + 2] << 8) | bytes[i + 3];
    if (bytes[i + 1] === 0xdb) {
      const id = bytes[i + 4] & 15;
      const t = new Array<number>(64);
      for (let k = 0; k < 64; k++) t[JPEG_NATURAL_ORDER[k]] = bytes[i + 5 + k];
      out.set(id, t);
    }
    i += 2 + len;
  }
  return out;
}

describe('jpegQualityScaling', () => {
  it('is 5000/q (integer division) below 50 and 200 - 2q from 50', () => {
    expect(jpegQualityScaling(1)).toBe(5000);
    expect(jpegQualityScaling(19)).toBe(263);
    expect(jpegQualityScaling(25)).toBe(200);
    expect(jpegQualityScaling(49)).toBe(102);
    expect(jpegQualityScaling(50)).toBe(100);
    expect(jpegQualityScaling(80)).toBe(40);
    expect(jpegQualityScaling(100)).toBe(0);
  });
});

describe('jpegQuantizationTables', () => {
  it('is Annex K at quality 50 (sums 3688 and 5505)', () => {
    const { luma, chroma } = jpegQuantizationTables(50);
    expect(Array.from(luma)).toEqual(ANNEX_K_LUMINANCE);
    expect(Array.from(chroma)).toEqual(ANNEX_K_CHROMINANCE);
    expect(sum(luma)).toBe(3688);
    expect(sum(chroma)).toBe(5505);
  });

  it('rounds (e * S + 50) / 100 and clamps to 1..255 with forceBaseline (default)', () => {
    expect(Array.from(jpegQuantizationTables(100).luma)).toEqual(new Array(64).fill(1));
    expect(Array.from(jpegQuantizationTables(1).chroma)).toEqual(new Array(64).fill(255));
    const q25 = jpegQuantizationTables(25);
    expect(Array.from(q25.luma)).toEqual(ANNEX_K_LUMINANCE.map((e) => Math.min(255, e * 2)));
    const q80 = jpegQuantizationTables(80);
    expect(Array.from(q80.luma)).toEqual(ANNEX_K_LUMINANCE.map((e) => Math.floor((e * 40 + 50) / 100)));
    expect(q80.luma[0]).toBe(6);
    expect(q80.luma.length).toBe(64);
    expect(q80.luma).toBeInstanceOf(Uint16Array);
  });

  it('lets entries exceed 255 without forceBaseline', () => {
    const { luma, chroma } = jpegQuantizationTables(1, { forceBaseline: false });
    expect(luma[0]).toBe(800); // 16 * 5000 / 100
    expect(chroma[63]).toBe(4950);
    expect(Array.from(jpegQuantizationTables(60, { forceBaseline: false }).luma))
      .toEqual(Array.from(jpegQuantizationTables(60).luma));
  });

  it('matches the DQT tables Pillow wrote in the fixture files', () => {
    for (const d of loadJpegFixtures().debug) {
      const tables = dqtTables(readJpegFixtureFile(d.file));
      const ours = jpegQuantizationTables(d.quality);
      expect(tables.get(0), d.file).toEqual(Array.from(ours.luma));
      if (d.subsampling !== 'gray') expect(tables.get(1), d.file).toEqual(Array.from(ours.chroma));
      else expect(tables.size).toBe(1);
    }
  });

  it('returns fresh arrays each call', () => {
    const a = jpegQuantizationTables(70);
    a.luma[0] = 999;
    expect(jpegQuantizationTables(70).luma[0]).not.toBe(999);
  });

  it('rejects a quality outside 1..100 or not an integer, naming it', () => {
    for (const q of [0, 101, -5, 50.5, NaN, Infinity]) {
      expect(() => jpegQuantizationTables(q)).toThrow(RangeError);
    }
    expect(() => jpegQuantizationTables(0)).toThrow(/quality must be an integer in 1\.\.100, got 0/);
    expect(() => jpegQuantizationTables('75' as unknown as number)).toThrow(/quality/);
    expect(() => jpegQuantizationTables(75, { forceBaseline: 'yes' as unknown as boolean })).toThrow(TypeError);
    expect(() => jpegQualityScaling(0)).toThrow(RangeError);
  });
});

describe('JPEG_NATURAL_ORDER', () => {
  it('is the zigzag permutation of 0..63', () => {
    expect(Array.from(JPEG_NATURAL_ORDER.slice(0, 10))).toEqual([0, 1, 8, 16, 9, 2, 3, 10, 17, 24]);
    expect(Array.from(JPEG_NATURAL_ORDER.slice(60))).toEqual([47, 55, 62, 63]);
    expect(new Set(JPEG_NATURAL_ORDER).size).toBe(64);
  });
});
