import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeJpeg, decodeJpegCoefficients, encodeJpeg, inverseJpeg } from '../../src/image/index.js';
import { loadJpegFixtures, readJpegFixtureFile, sha256 } from './jpeg-fixtures.js';

const DECODE_DIR = fileURLToPath(new URL('../fixtures/jpeg-decode/', import.meta.url));

interface DecodeCase {
  name: string;
  file: string;
  expect: string;
  note: string;
  mode?: 'RGB' | 'L';
  width?: number;
  height?: number;
  pixelsSha256?: string;
  raw?: string;
}
interface DamagedCase {
  base: string;
  edits: [number, number][];
  cutAndEoi: number | null;
  pixelsSha256: string;
}
const decodeManifest = JSON.parse(readFileSync(DECODE_DIR + 'manifest.json', 'utf8')) as { cases: DecodeCase[]; damaged: DamagedCase[] };
const readDecodeFile = (f: string): Uint8Array => new Uint8Array(readFileSync(DECODE_DIR + f));

describe('decodeJpeg on Pillow files (test/fixtures/jpeg): pixels identical to Pillow', () => {
  const { images, cases, debug } = loadJpegFixtures();

  it(`decodes all ${cases.length} Pillow files (every quality 1..100, 4:2:0 / 4:2:2 / 4:4:4 / gray, odd sizes) to Pillow's pixels`, () => {
    let identical = 0;
    const failures: string[] = [];
    for (const c of cases) {
      const image = images.get(c.input)!;
      // encodeJpeg is byte-identical with Pillow (checked against jpegSha256 here too), so these
      // are Pillow's files.
      const bytes = encodeJpeg(image, c.quality, c.subsampling === 'gray' ? {} : { subsampling: c.subsampling });
      if (sha256(bytes) !== c.jpegSha256) {
        failures.push(`${c.input} q${c.quality} ${c.subsampling}: not Pillow's bytes`);
        continue;
      }
      const decoded = decodeJpeg(bytes);
      if (decoded.width === image.width && decoded.height === image.height && decoded.channels === image.channels && sha256(decoded.data) === c.pixelsSha256) {
        identical++;
      } else if (failures.length < 10) {
        failures.push(`${c.input} q${c.quality} ${c.subsampling}`);
      }
    }
    expect(failures).toEqual([]);
    expect(identical).toBe(cases.length);
  });

  it('decodes the whole Pillow files kept under debug/', () => {
    expect(debug.length).toBeGreaterThan(0);
    for (const d of debug) {
      const c = cases.find((k) => k.input === d.input && k.quality === d.quality && k.subsampling === d.subsampling)!;
      const decoded = decodeJpeg(readJpegFixtureFile(d.file));
      expect(sha256(decoded.data), d.file).toBe(c.pixelsSha256);
    }
  });
});

describe('decodeJpeg on files of every kind (test/fixtures/jpeg-decode)', () => {
  const exact = decodeManifest.cases.filter((c) => c.expect === 'pixels');

  it(`gives Pillow's pixels for all ${exact.length} baseline / extended files`, () => {
    // restart intervals, sampling 1x2 4x1 1x4 4x2 2x1 1x1 and mixed, 16-bit quantization tables,
    // Adobe RGB, optimized Huffman tables, multi-scan sequential, progressive (cjpeg and Pillow,
    // with restarts, 4:4:0, gray; never refined, DC only and cut short, which libjpeg finishes
    // with block smoothing), no DHT (standard tables), extra segments, and damaged entropy data
    // that libjpeg decodes with warnings.
    const failures: string[] = [];
    for (const c of exact) {
      try {
        const im = decodeJpeg(readDecodeFile(c.file));
        const ok = im.width === c.width && im.height === c.height && im.channels === (c.mode === 'L' ? 1 : 3) && sha256(im.data) === c.pixelsSha256;
        if (!ok) failures.push(c.name);
      } catch (e) {
        failures.push(`${c.name}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(exact.length).toBeGreaterThanOrEqual(90);
    expect(exact.filter((c) => c.name.includes('progressive')).length).toBe(8);
  });

  it('throws an Error naming the reason for unsupported files', () => {
    for (const c of decodeManifest.cases.filter((k) => k.expect.startsWith('error:'))) {
      const reason = c.expect.slice('error:'.length);
      expect(() => decodeJpeg(readDecodeFile(c.file)), c.name).toThrow(new RegExp(reason));
    }
  });

  it("gives Pillow's pixels for damaged files Pillow decodes (libjpeg's recovery), and never crashes on the rest", () => {
    const failures: string[] = [];
    let pillowDecodes = 0;
    for (const [k, c] of decodeManifest.damaged.entries()) {
      let bytes = readDecodeFile(c.base);
      if (c.cutAndEoi !== null) {
        const cut = new Uint8Array(c.cutAndEoi + 2);
        cut.set(bytes.subarray(0, c.cutAndEoi));
        cut.set([0xff, 0xd9], c.cutAndEoi);
        bytes = cut;
      } else {
        bytes = bytes.slice();
      }
      for (const [at, value] of c.edits) bytes[at] = value;
      let result: string;
      try {
        const im = decodeJpeg(bytes);
        expect(im.data.length).toBe(im.width * im.height * im.channels);
        result = sha256(im.data);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        result = 'error';
      }
      if (c.pixelsSha256 !== 'error') {
        pillowDecodes++;
        if (result !== c.pixelsSha256) failures.push(`#${k} ${c.base} ${JSON.stringify(c.edits)} cut ${c.cutAndEoi}: ${result === 'error' ? 'error' : 'differs'}`);
      }
    }
    expect(failures).toEqual([]);
    expect(pillowDecodes).toBeGreaterThan(400);
  });

  it('counts libjpeg warnings, and strict mode turns them into errors', () => {
    const flips = readDecodeFile('photo-64x48-bitflips.jpg');
    const cut = readDecodeFile('photo-64x48-cut-eoi.jpg');
    const badRst = readDecodeFile('photo-64x48-bad-restart.jpg');
    for (const bytes of [cut, badRst]) {
      expect(decodeJpegCoefficients(bytes).warnings).toBeGreaterThan(0);
      expect(() => decodeJpeg(bytes, { strict: true })).toThrow(/corrupt JPEG \(strict\)/);
    }
    expect(() => decodeJpeg(flips)).not.toThrow();
    const clean = readDecodeFile('photo-64x48-baseline.jpg');
    expect(decodeJpegCoefficients(clean).warnings).toBe(0);
    expect(decodeJpeg(clean, { strict: true }).width).toBe(64);
  });
});

describe('decodeJpegCoefficients', () => {
  it('returns the quantized coefficients that inverseJpeg turns into the same pixels', () => {
    const bytes = readDecodeFile('photo-64x48-s-mixed.jpg');
    const { coefficients, colorTransform } = decodeJpegCoefficients(bytes);
    expect(colorTransform).toBe('ycbcr');
    expect(coefficients.components.map((c) => [c.h, c.v])).toEqual([[2, 2], [2, 1], [1, 2]]);
    expect(inverseJpeg(coefficients).data).toEqual(decodeJpeg(bytes).data);
  });

  it('reads the Adobe marker of RGB files', () => {
    expect(decodeJpegCoefficients(readDecodeFile('photo-37x23-rgb-adobe.jpg')).colorTransform).toBe('rgb');
  });

  it('returns the coefficients of progressive files (after block smoothing where libjpeg smooths)', () => {
    for (const f of ['photo-64x48-progressive.jpg', 'photo-64x48-progressive-unrefined.jpg', 'photo-64x48-progressive-cut.jpg']) {
      const bytes = readDecodeFile(f);
      expect(inverseJpeg(decodeJpegCoefficients(bytes).coefficients).data, f).toEqual(decodeJpeg(bytes).data);
    }
  });
});

describe('decodeJpeg: bad input', () => {
  const good = readDecodeFile('photo-37x23-baseline.jpg');

  it('rejects non-Uint8Array arguments with a TypeError', () => {
    expect(() => decodeJpeg('abc' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => decodeJpeg(null as unknown as Uint8Array)).toThrow(/bytes must be a Uint8Array/);
  });

  it('checks its options', () => {
    expect(() => decodeJpeg(good, null as unknown as object)).toThrow(/options must be an object/);
    expect(() => decodeJpeg(good, { strict: 1 as unknown as boolean })).toThrow(TypeError);
    expect(() => decodeJpeg(good, { maxPixels: 0 })).toThrow(RangeError);
    expect(() => decodeJpegCoefficients(good, { maxPixels: Number.NaN })).toThrow(/options\.maxPixels must be a number >= 1/);
  });

  it('names the reason for empty, non-JPEG and truncated data', () => {
    expect(() => decodeJpeg(new Uint8Array(0))).toThrow(/empty/);
    expect(() => decodeJpeg(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toThrow(/not a JPEG file/);
    expect(() => decodeJpeg(good.subarray(0, 2))).toThrow(/truncated/);
    expect(() => decodeJpeg(good.subarray(0, 100))).toThrow(/truncated/);
    expect(() => decodeJpeg(good.subarray(0, good.length - 40))).toThrow(/truncated/);
  });

  it('accepts a file whose EOI is missing when the image data is complete', () => {
    const im = decodeJpeg(good.subarray(0, good.length - 2));
    expect(im.data).toEqual(decodeJpeg(good).data);
  });

  it('fails fast on absurd sizes, before allocating', () => {
    // A valid header declaring 65500 x 65500 pixels followed by a few bytes of data.
    const bytes = good.slice(0, 400);
    const sof = findMarker(bytes, 0xc0);
    bytes[sof + 5] = 0xff;
    bytes[sof + 6] = 0xdc;
    bytes[sof + 7] = 0xff;
    bytes[sof + 8] = 0xdc;
    const t0 = performance.now();
    expect(() => decodeJpeg(bytes)).toThrow(/JPEG too large|truncated/);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(() => decodeJpeg(good, { maxPixels: 100 })).toThrow(/maxPixels = 100/);
  });

  it('rejects a frame of zero width', () => {
    const bytes = good.slice();
    const sof = findMarker(bytes, 0xc0);
    bytes[sof + 7] = 0;
    bytes[sof + 8] = 0;
    expect(() => decodeJpeg(bytes)).toThrow(/empty image/);
  });
});

function findMarker(bytes: Uint8Array, marker: number): number {
  for (let i = 2; i < bytes.length - 1; i++) if (bytes[i] === 0xff && bytes[i + 1] === marker) return i;
  throw new Error(`marker ${marker.toString(16)} not found`);
}
