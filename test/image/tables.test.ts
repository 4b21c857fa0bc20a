// options.tables (user quantization tables) against cjpeg -baseline -qtables and djpeg
// (test/fixtures/jpeg-tables, made by scripts/make-jpeg-tables-fixtures.py).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChromaSubsampling } from '../../src/image/forward.js';
import type { Image, ImageBatch } from '../../src/image/image.js';
import {
  decodeJpeg, encodeJpeg, forwardJpeg, jpegQuantizationTables, jpegRoundTrip, jpegRoundTripBatch,
  type CustomQuantizationTables,
} from '../../src/image/index.js';
import { jpegRoundTripJs, jpegRoundTripRangeJs, roundTripOptionsOf } from '../../src/image/roundtrip.js';
import { loadJpegFixtures, sha256 } from './jpeg-fixtures.js';

const DIR = fileURLToPath(new URL('../fixtures/jpeg-tables/', import.meta.url));

interface TablesCase {
  tables: string;
  input: string;
  subsampling: ChromaSubsampling | 'gray';
  file: string;
  jpegSha256: string;
  pixelsSha256: string;
}

const manifest = JSON.parse(readFileSync(DIR + 'manifest.json', 'utf8')) as {
  tables: Record<string, { luma: number[]; chroma: number[] }>;
  cases: TablesCase[];
};
const { images } = loadJpegFixtures();

function image(name: string): Image {
  const im = images.get(name);
  if (!im) throw new Error(`unknown input ${name}`);
  return im;
}

function optionsOf(c: TablesCase): { tables: CustomQuantizationTables; subsampling?: ChromaSubsampling } {
  const tables = manifest.tables[c.tables];
  return c.subsampling === 'gray' ? { tables } : { tables, subsampling: c.subsampling };
}

describe('options.tables: cjpeg -baseline -qtables', () => {
  it('has the fixtures', () => {
    expect(manifest.cases.length).toBe(140);
    expect(Object.keys(manifest.tables).length).toBe(10);
  });

  it('encodeJpeg writes the bytes of cjpeg -qtables on every case (quality not used)', () => {
    for (const c of manifest.cases) {
      const bytes = encodeJpeg(image(c.input), 50, optionsOf(c));
      const label = `${c.tables} ${c.input} ${c.subsampling}`;
      expect(sha256(bytes), label).toBe(c.jpegSha256);
      expect(sha256(encodeJpeg(image(c.input), 3, optionsOf(c))), label).toBe(c.jpegSha256);
    }
    // the committed file is the one hashed
    const c0 = manifest.cases[0];
    expect(sha256(new Uint8Array(readFileSync(DIR + c0.file)))).toBe(c0.jpegSha256);
  });

  it('jpegRoundTrip (kernel) and its JavaScript path give djpeg\'s pixels', () => {
    for (const c of manifest.cases) {
      const label = `${c.tables} ${c.input} ${c.subsampling}`;
      expect(sha256(jpegRoundTrip(image(c.input), 50, optionsOf(c)).data), label).toBe(c.pixelsSha256);
      expect(sha256(jpegRoundTripJs(image(c.input), 97, optionsOf(c)).data), label).toBe(c.pixelsSha256);
    }
  });

  it('decodeJpeg of the cjpeg files gives djpeg\'s pixels', () => {
    for (const c of manifest.cases) {
      const decoded = decodeJpeg(new Uint8Array(readFileSync(DIR + c.file)));
      expect(sha256(decoded.data), `${c.tables} ${c.input} ${c.subsampling}`).toBe(c.pixelsSha256);
    }
  });

  it('jpegRoundTripBatch and the JavaScript range path take the tables', () => {
    const input = image('astronaut-32x32');
    const count = 3;
    const data = new Uint8Array(count * input.data.length);
    for (let i = 0; i < count; i++) data.set(input.data, i * input.data.length);
    const batch: ImageBatch = { count, width: 32, height: 32, channels: 3, data };
    for (const c of manifest.cases.filter((k) => k.input === 'astronaut-32x32' && k.subsampling === '4:2:2')) {
      const out = jpegRoundTripBatch(batch, 50, optionsOf(c));
      const js = new Uint8Array(data.length);
      jpegRoundTripRangeJs(batch, 50, optionsOf(c), js, 0, count);
      for (let i = 0; i < count; i++) {
        const size = input.data.length;
        expect(sha256(out.data.subarray(i * size, (i + 1) * size)), c.tables).toBe(c.pixelsSha256);
        expect(sha256(js.subarray(i * size, (i + 1) * size)), c.tables).toBe(c.pixelsSha256);
      }
    }
  });

  it('the kernel reloads tables between calls (default, custom, other custom, default)', () => {
    const im = image('coffee-33x31');
    const a = manifest.cases.find((c) => c.tables === 'random' && c.input === 'coffee-33x31' && c.subsampling === '4:2:0')!;
    const b = manifest.cases.find((c) => c.tables === 'ramp' && c.input === 'coffee-33x31' && c.subsampling === '4:2:0')!;
    const q75 = sha256(jpegRoundTrip(im, 75).data);
    expect(sha256(jpegRoundTrip(im, 75, optionsOf(a)).data)).toBe(a.pixelsSha256);
    expect(sha256(jpegRoundTrip(im, 75, optionsOf(b)).data)).toBe(b.pixelsSha256);
    expect(sha256(jpegRoundTrip(im, 75).data)).toBe(q75);
    expect(q75).toBe(sha256(jpegRoundTripJs(im, 75).data));
  });

  it('the tables of a quality, passed as tables, give that quality', () => {
    const im = image('chelsea-17x9');
    for (const q of [1, 23, 50, 75, 100]) {
      const tables = jpegQuantizationTables(q);
      expect(encodeJpeg(im, 50, { tables })).toEqual(encodeJpeg(im, q));
      expect(jpegRoundTrip(im, 50, { tables, subsampling: '4:4:4' }).data).toEqual(jpegRoundTrip(im, q, { subsampling: '4:4:4' }).data);
    }
  });

  it('takes plain arrays and typed arrays, copies them and keeps them natural order', () => {
    const im = image('camera-40x24');
    const luma = Array.from({ length: 64 }, (_, i) => 1 + i);
    const chroma = new Uint8Array(64).fill(9);
    const coefs = forwardJpeg(im, 50, { tables: { luma, chroma } });
    expect(Array.from(coefs.components[0].quantTable)).toEqual(luma);
    coefs.components[0].quantTable[0] = 99;
    expect(luma[0]).toBe(1);
    // the DQT segment holds zigzag order: entry 2 of the segment is natural index 8 (row 1, col 0)
    const bytes = encodeJpeg(im, 50, { tables: { luma, chroma } });
    const dqt = bytes.indexOf(0xdb, 20) + 3; // FF DB, 2 length bytes, then Pq/Tq
    expect(bytes[dqt]).toBe(0); // Pq 0, Tq 0
    expect(Array.from(bytes.subarray(dqt + 1, dqt + 4))).toEqual([1, 2, 9]);
  });
});

describe('options.tables: validation', () => {
  const im: Image = { width: 8, height: 8, channels: 3, data: new Uint8Array(192) };
  const ok = (): number[] => new Array<number>(64).fill(10);
  const calls: [string, (o: object) => unknown][] = [
    ['jpegRoundTrip', (o) => jpegRoundTrip(im, 50, o)],
    ['jpegRoundTripBatch', (o) => jpegRoundTripBatch({ count: 1, width: 8, height: 8, channels: 3, data: im.data }, 50, o)],
    ['encodeJpeg', (o) => encodeJpeg(im, 50, o)],
    ['forwardJpeg', (o) => forwardJpeg(im, 50, o)],
  ];
  it.each(calls)('%s names tables, the index and the value', (_, call) => {
    const bad = (luma: unknown, chroma: unknown = ok()): unknown => call({ tables: { luma, chroma } });
    const zero = ok();
    zero[5] = 0;
    expect(() => bad(zero)).toThrow(/options\.tables\.luma\[5\] must be an integer in 1\.\.255 \(baseline JPEG\), got 0/);
    const big = ok();
    big[63] = 256;
    expect(() => bad(ok(), big)).toThrow(/options\.tables\.chroma\[63\] must be an integer in 1\.\.255 \(baseline JPEG\), got 256/);
    const frac = ok();
    frac[1] = 1.5;
    expect(() => bad(frac)).toThrow(/options\.tables\.luma\[1\] .* got 1\.5/);
    const str: unknown[] = ok();
    str[2] = '7';
    expect(() => bad(str)).toThrow(/options\.tables\.luma\[2\] .* got "7"/);
    const nan = ok();
    nan[0] = NaN;
    expect(() => bad(nan)).toThrow(/options\.tables\.luma\[0\] .* got NaN/);
    expect(() => bad(new Array(63).fill(1))).toThrow(/options\.tables\.luma must hold exactly 64 entries \(natural order\), got 63/);
    expect(() => bad(ok(), new Array(128).fill(1))).toThrow(/options\.tables\.chroma must hold exactly 64 entries/);
    expect(() => bad(undefined)).toThrow(/options\.tables\.luma must be an array of 64 integers 1\.\.255/);
    expect(() => call({ tables: 'annex-k' })).toThrow(/options\.tables must be an object \{ luma, chroma \}/);
    expect(() => call({ tables: null })).toThrow(/options\.tables must be an object/);
    // quality is still checked
    expect(() => jpegRoundTrip(im, 0, { tables: { luma: ok(), chroma: ok() } })).toThrow(/quality must be an integer in 1\.\.100, got 0/);
  });

  it('roundTripOptionsOf keeps subsampling and a copy of the tables only', () => {
    const luma = ok();
    const picked = roundTripOptionsOf({ subsampling: '4:4:4', tables: { luma, chroma: ok() }, workers: 3 } as never);
    expect(Object.keys(picked).sort()).toEqual(['subsampling', 'tables']);
    expect(picked.tables!.luma).toBeInstanceOf(Uint16Array);
    luma[0] = 200;
    expect(picked.tables!.luma[0]).toBe(10);
    expect(roundTripOptionsOf({})).toEqual({});
  });
});
