import { describe, expect, it } from 'vitest';
import { forwardJpeg, jpegQuantizationTables, type ChromaSubsampling, type Image } from '../../src/image/index.js';
import { computeDivisors } from '../../src/image/quantizer.js';
import { loadJpegFixtures } from './jpeg-fixtures.js';

const { images } = loadJpegFixtures();

function uniform(width: number, height: number, channels: 1 | 3, value: number[]): Image {
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = value[i % channels];
  return { width, height, channels, data };
}

/** Quantized coefficients of the exact (floating-point) DCT of one 8x8 block, rounded half away from zero. */
function floatDctQuantized(block: number[], table: Uint16Array): number[] {
  const out: number[] = [];
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          s += (block[y * 8 + x] - 128) * Math.cos(((2 * x + 1) * u * Math.PI) / 16) * Math.cos(((2 * y + 1) * v * Math.PI) / 16);
        }
      }
      const cu = u === 0 ? Math.SQRT1_2 : 1;
      const cv = v === 0 ? Math.SQRT1_2 : 1;
      const f = (cu * cv * s) / 4 / table[v * 8 + u];
      out.push(Math.sign(f) * Math.round(Math.abs(f)));
    }
  }
  return out;
}

describe('forwardJpeg: structure', () => {
  const cases: [number, number, ChromaSubsampling, [number, number, number, number][]][] = [
    // width, height, subsampling, per component [h, v, blocksWide, blocksHigh]
    [32, 32, '4:2:0', [[2, 2, 4, 4], [1, 1, 2, 2], [1, 1, 2, 2]]],
    [17, 9, '4:2:0', [[2, 2, 4, 2], [1, 1, 2, 1], [1, 1, 2, 1]]],
    [17, 9, '4:2:2', [[2, 1, 4, 2], [1, 1, 2, 2], [1, 1, 2, 2]]],
    [17, 9, '4:4:4', [[1, 1, 3, 2], [1, 1, 3, 2], [1, 1, 3, 2]]],
    [1, 1, '4:2:0', [[2, 2, 2, 2], [1, 1, 1, 1], [1, 1, 1, 1]]],
    [33, 31, '4:2:0', [[2, 2, 6, 4], [1, 1, 3, 2], [1, 1, 3, 2]]],
  ];
  for (const [w, h, sub, comps] of cases) {
    it(`${w}x${h} RGB ${sub}: sampling factors and block grids covering whole MCUs`, () => {
      const c = forwardJpeg(uniform(w, h, 3, [10, 200, 30]), 75, { subsampling: sub });
      expect(c.width).toBe(w);
      expect(c.height).toBe(h);
      expect(c.components.map((k) => [k.h, k.v, k.blocksWide, k.blocksHigh])).toEqual(comps);
      expect(c.components.map((k) => k.id)).toEqual([1, 2, 3]);
      for (const k of c.components) expect(k.coefficients.length).toBe(k.blocksWide * k.blocksHigh * 64);
      const tables = jpegQuantizationTables(75);
      expect(c.components[0].quantTable).toEqual(tables.luma);
      expect(c.components[1].quantTable).toEqual(tables.chroma);
      expect(c.components[2].quantTable).toEqual(tables.chroma);
    });
  }

  it('gives one 1x1 component for grayscale with no padding blocks beyond ceil(size / 8)', () => {
    const c = forwardJpeg(uniform(13, 7, 1, [90]), 50);
    expect(c.components.length).toBe(1);
    const [y] = c.components;
    expect([y.id, y.h, y.v, y.blocksWide, y.blocksHigh]).toEqual([1, 1, 1, 2, 1]);
  });

  it('gives grayscale the luma sampling of an explicit subsampling, with the same coefficients', () => {
    const img = images.get('camera-13x7')!;
    const plain = forwardJpeg(img, 50).components[0];
    for (const [sub, h, v] of [['4:2:0', 2, 2], ['4:2:2', 2, 1], ['4:4:4', 1, 1]] as const) {
      const c = forwardJpeg(img, 50, { subsampling: sub }).components[0];
      expect([c.h, c.v, c.blocksWide, c.blocksHigh]).toEqual([h, v, 2, 1]);
      expect(c.coefficients).toEqual(plain.coefficients);
    }
  });

  it('defaults to 4:2:0', () => {
    const img = images.get('coffee-33x31')!;
    expect(forwardJpeg(img, 40)).toEqual(forwardJpeg(img, 40, { subsampling: '4:2:0' }));
  });
});

describe('reciprocal quantization (jcdctmgr.c compute_reciprocal)', () => {
  it('equals division rounded half away from zero for every baseline entry and |x| <= 16384', () => {
    const table = new Uint16Array(64);
    for (let start = 1; start <= 255; start += 64) {
      for (let i = 0; i < 64; i++) table[i] = Math.min(255, start + i);
      const { recip, corr, shift, scale } = computeDivisors(table);
      for (let i = 0; i < 64; i++) {
        const d = table[i] * 8;
        expect(scale[i]).toBe(recip[i] / 2 ** shift[i]);
        for (let x = 0; x <= 16384; x++) {
          const q = Math.floor(((x + corr[i]) * recip[i]) / 2 ** shift[i]);
          if (q !== Math.floor((x + d / 2) / d)) expect(`${d} ${x} ${q}`).toBe('');
        }
      }
    }
  });

  it('gives libjpeg-turbo values (divisor 8: power of two; 24: rounded up; 56: rounded down, c + 1)', () => {
    const { recip, corr, shift } = computeDivisors(new Uint16Array([1, 3, 7, ...new Array(61).fill(1)]));
    expect([recip[0], corr[0], shift[0]]).toEqual([32768, 4, 18]); // 2^19 / 8, halved, r - 1
    expect([recip[1], corr[1], shift[1]]).toEqual([43691, 12, 20]); // 2^20 / 24 = 43690.67: f + 1
    expect([recip[2], corr[2], shift[2]]).toEqual([37449, 29, 21]); // 2^21 / 56 = 37449.14: c + 1
  });
});

describe('forwardJpeg: values', () => {
  it('puts a uniform block into its DC only: round(8 (v - 128) / q)', () => {
    for (const [v, q] of [[200, 50], [0, 50], [255, 90], [128, 10], [37, 100]]) {
      const table = jpegQuantizationTables(q).luma;
      const c = forwardJpeg(uniform(8, 8, 1, [v]), q).components[0].coefficients;
      const f = (8 * (v - 128)) / table[0];
      expect(c[0]).toBe(Math.sign(f) * Math.round(Math.abs(f)));
      expect(Array.from(c.subarray(1)).every((x) => x === 0)).toBe(true);
    }
  });

  it('converts colors with libjpeg constants (pure red: Y 76, Cb 85, Cr 255)', () => {
    // levels of a uniform block: DC = 8 * (level - 128) at quality 100 (all table entries 1)
    const c = forwardJpeg(uniform(16, 16, 3, [255, 0, 0]), 100).components;
    expect(c[0].coefficients[0]).toBe(8 * (76 - 128));
    expect(c[1].coefficients[0]).toBe(8 * (85 - 128));
    expect(c[2].coefficients[0]).toBe(8 * (255 - 128));
  });

  it('stays within 1 of the exact DCT, quantized with correct rounding (gray noise, several qualities)', () => {
    const img = images.get('noise-gray-16x16')!;
    let equal = 0;
    let total = 0;
    for (const q of [10, 50, 90, 100]) {
      const table = jpegQuantizationTables(q).luma;
      const c = forwardJpeg(img, q).components[0];
      for (let by = 0; by < 2; by++) {
        for (let bx = 0; bx < 2; bx++) {
          const block: number[] = [];
          for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) block.push(img.data[(by * 8 + y) * 16 + bx * 8 + x]);
          const ref = floatDctQuantized(block, table);
          const ours = c.coefficients.subarray((by * 2 + bx) * 64, (by * 2 + bx + 1) * 64);
          for (let i = 0; i < 64; i++) {
            expect(Math.abs(ours[i] - ref[i])).toBeLessThanOrEqual(1);
            if (ours[i] === ref[i]) equal++;
            total++;
          }
        }
      }
    }
    expect(equal / total).toBeGreaterThan(0.95);
  });

  it('fills dummy blocks as libjpeg does: zero AC, DC of the left block, or of the MCU block above', () => {
    // 17x9 4:2:0: luma has 3x2 real blocks in a 4x2 grid; 33x17: 5x3 real in 6x4
    const a = forwardJpeg(images.get('chelsea-17x9')!, 60).components[0];
    const b = forwardJpeg({ ...images.get('chelsea-100x75')!, width: 33, height: 17, data: crop(images.get('chelsea-100x75')!, 33, 17) }, 60).components[0];
    const block = (k: typeof a, bx: number, by: number) => k.coefficients.subarray((by * k.blocksWide + bx) * 64, (by * k.blocksWide + bx + 1) * 64);
    for (const by of [0, 1]) {
      expect(block(a, 3, by)[0]).toBe(block(a, 2, by)[0]);
      expect(Array.from(block(a, 3, by).subarray(1)).every((x) => x === 0)).toBe(true);
    }
    expect([b.blocksWide, b.blocksHigh]).toEqual([6, 4]);
    for (const by of [0, 1, 2]) expect(block(b, 5, by)[0]).toBe(block(b, 4, by)[0]);
    for (let bx = 0; bx < 6; bx++) {
      const mcuRight = bx - (bx % 2) + 1; // last block of the MCU's upper row
      expect(block(b, bx, 3)[0]).toBe(block(b, mcuRight, 2)[0]);
      expect(Array.from(block(b, bx, 3).subarray(1)).every((x) => x === 0)).toBe(true);
    }
  });

  it('gives the same result whatever was computed before (scratch buffers are reused)', () => {
    const small = images.get('chelsea-7x13')!;
    const first = forwardJpeg(small, 33);
    forwardJpeg(images.get('chelsea-160x120')!, 90, { subsampling: '4:4:4' });
    forwardJpeg(images.get('camera-40x24')!, 5);
    expect(forwardJpeg(small, 33)).toEqual(first);
  });

  it('returns tables the caller may modify without affecting later calls', () => {
    const img = images.get('coffee-2x2')!;
    const a = forwardJpeg(img, 45);
    a.components[0].quantTable[0] = 1;
    a.components[1].quantTable[5] = 1;
    expect(forwardJpeg(img, 45).components[0].quantTable).toEqual(jpegQuantizationTables(45).luma);
    expect(forwardJpeg(img, 45).components[1].quantTable).toEqual(jpegQuantizationTables(45).chroma);
    expect(forwardJpeg(img, 45)).toEqual(forwardJpeg(img, 45));
  });

  it('does not modify the input image', () => {
    const img = images.get('noise-23x19')!;
    const copy = img.data.slice();
    forwardJpeg(img, 50, { subsampling: '4:2:2' });
    expect(img.data).toEqual(copy);
  });
});

describe('forwardJpeg: errors', () => {
  const img = uniform(4, 4, 3, [1, 2, 3]);
  it('names the bad quality, subsampling or image field', () => {
    expect(() => forwardJpeg(img, 0)).toThrow(/quality must be an integer in 1\.\.100, got 0/);
    expect(() => forwardJpeg(img, 1.5)).toThrow(RangeError);
    expect(() => forwardJpeg(img, 50, { subsampling: '2x2' as ChromaSubsampling })).toThrow(/options\.subsampling must be one of/);
    expect(() => forwardJpeg(img, 50, null as never)).toThrow(TypeError);
    expect(() => forwardJpeg({ ...img, width: 0 }, 50)).toThrow(/image\.width/);
    expect(() => forwardJpeg({ ...img, width: 65501 }, 50)).toThrow(RangeError);
    expect(() => forwardJpeg({ ...img, data: [1, 2] as unknown as Uint8Array }, 50)).toThrow(TypeError);
  });
});

function crop(img: Image, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * img.channels);
  for (let y = 0; y < h; y++) out.set(img.data.subarray(y * img.width * img.channels, (y * img.width + w) * img.channels), y * w * img.channels);
  return out;
}
