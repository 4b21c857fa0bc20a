import { describe, expect, it } from 'vitest';
import { bitsPerPixel, encodeJpeg, jpegBitsPerPixel, PAPER_TABLE_SUM } from '../../src/image/index.js';
import { loadJpegFixtures } from './jpeg-fixtures.js';

describe('bitsPerPixel: the paper arithmetic (default)', () => {
  it('loses log2(12487) = 13.6 bits at q 50', () => {
    const r = bitsPerPixel(50);
    expect(r.quality).toBe(50);
    expect(r.lostBits).toBeCloseTo(Math.log2(PAPER_TABLE_SUM), 12);
    expect(r.lostBits.toFixed(1)).toBe('13.6');
    expect(r.remainingBits).toBeCloseTo(16 - r.lostBits, 12);
  });

  it('loses 12.2-12.3 bits at q 80 (a little under 4 remain)', () => {
    const r = bitsPerPixel(80);
    expect(r.lostBits).toBeGreaterThanOrEqual(12.2);
    expect(r.lostBits).toBeLessThanOrEqual(12.3);
    expect(r.remainingBits).toBeGreaterThan(3.5);
    expect(r.remainingBits).toBeLessThan(4);
  });

  it('leaves 1.4 bits at q 25 and about 1 bit at q 19', () => {
    expect(bitsPerPixel(25).remainingBits.toFixed(1)).toBe('1.4');
    expect(bitsPerPixel(19).remainingBits).toBeCloseTo(1, 2);
  });

  it('is monotone in quality and clamped to 0..sourceBits', () => {
    let prev = -1;
    for (let q = 1; q <= 100; q++) {
      const { lostBits, remainingBits } = bitsPerPixel(q);
      expect(lostBits).toBeGreaterThanOrEqual(0);
      expect(lostBits).toBeLessThanOrEqual(16);
      expect(remainingBits).toBeGreaterThanOrEqual(prev);
      prev = remainingBits;
    }
    expect(bitsPerPixel(1).remainingBits).toBe(0); // formula gives 19.25 lost
    expect(bitsPerPixel(100)).toEqual({ quality: 100, lostBits: 0, remainingBits: 16 }); // S(100) = 0
  });

  it('takes the source bits as an option (24 for 4:4:4 RGB)', () => {
    expect(bitsPerPixel(25, { sourceBits: 24 }).remainingBits).toBeCloseTo(24 - bitsPerPixel(25).lostBits, 12);
  });
});

describe("bitsPerPixel: 'tables'", () => {
  it('loses log2(3688 + 2 * 5505) = 13.84 bits at q 50', () => {
    const r = bitsPerPixel(50, { method: 'tables' });
    expect(r.lostBits).toBeCloseTo(Math.log2(14698), 12);
    expect(r.lostBits.toFixed(2)).toBe('13.84');
  });

  it('uses the baseline-clamped tables (q 100: all ones, 192 in all; q 1: all 255)', () => {
    expect(bitsPerPixel(100, { method: 'tables' }).lostBits).toBeCloseTo(Math.log2(192), 12);
    expect(bitsPerPixel(1, { method: 'tables' }).lostBits).toBeCloseTo(Math.log2(192 * 255), 12);
  });

  it('sums the luminance table alone for gray images (a gray JPEG has no chroma tables)', () => {
    expect(bitsPerPixel(100, { method: 'tables', channels: 1, sourceBits: 8 })).toEqual({ quality: 100, lostBits: 6, remainingBits: 2 });
    expect(bitsPerPixel(1, { method: 'tables', channels: 1, sourceBits: 8 }).remainingBits).toBe(0);
    expect(bitsPerPixel(50, { method: 'paper', channels: 1 })).toEqual(bitsPerPixel(50, { method: 'paper' }));
    expect(() => bitsPerPixel(50, { method: 'tables', channels: 2 as 1 })).toThrow(/options\.channels.*2/);
  });
});

describe('bitsPerPixel: errors', () => {
  it('names the bad argument', () => {
    expect(() => bitsPerPixel(0)).toThrow(/quality must be an integer in 1\.\.100, got 0/);
    expect(() => bitsPerPixel(50, { method: 'bogus' as 'paper' })).toThrow(/options\.method/);
    expect(() => bitsPerPixel(50, { sourceBits: -1 })).toThrow(/options\.sourceBits/);
    expect(() => bitsPerPixel(50, { sourceBits: NaN })).toThrow(RangeError);
  });
});

describe('jpegBitsPerPixel', () => {
  const { images, cases } = loadJpegFixtures();

  it('counts the bytes of the real (Pillow-identical) file, with and without headers', () => {
    const img = images.get('astronaut-32x32')!;
    for (const q of [5, 25, 75]) {
      const c = cases.find((k) => k.input === 'astronaut-32x32' && k.quality === q && k.subsampling === '4:2:0')!;
      const r = jpegBitsPerPixel(img, q);
      expect(r.total).toBeCloseTo((8 * c.jpegLength) / 1024, 12);
      // a 32x32 RGB file has 623 bytes of headers and tables plus the 2-byte EOI
      expect(r.scan).toBeCloseTo((8 * (c.jpegLength - 623 - 2)) / 1024, 12);
    }
  });

  it('has 328 header bytes for grayscale and follows the subsampling option', () => {
    const gray = images.get('camera-40x24')!;
    const g = jpegBitsPerPixel(gray, 50);
    expect(g.total - g.scan).toBeCloseTo((8 * (328 + 2)) / (40 * 24), 12);
    const img = images.get('coffee-33x31')!;
    const r = jpegBitsPerPixel(img, 80, { subsampling: '4:4:4' });
    expect(r.total).toBeCloseTo((8 * encodeJpeg(img, 80, { subsampling: '4:4:4' }).length) / (33 * 31), 12);
  });

  it('validates its arguments', () => {
    expect(() => jpegBitsPerPixel(images.get('coffee-2x2')!, 101)).toThrow(RangeError);
    expect(() => jpegBitsPerPixel({ width: 1, height: 1, channels: 3, data: new Uint8Array(1) }, 50)).toThrow(/data length/);
  });
});
