// Loader of test/fixtures/jpeg (see its README.md): inputs and Pillow's golden hashes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Image } from '../../src/image/image.js';

const DIR = fileURLToPath(new URL('../fixtures/jpeg/', import.meta.url));

export type FixtureSubsampling = '4:2:0' | '4:2:2' | '4:4:4' | 'gray';

export interface JpegFixtureCase {
  input: string;
  quality: number;
  subsampling: FixtureSubsampling;
  jpegLength: number;
  jpegSha256: string;
  pixelsSha256: string;
}

export interface JpegFixtures {
  images: Map<string, Image>;
  cases: JpegFixtureCase[];
  debug: { input: string; quality: number; subsampling: FixtureSubsampling; file: string }[];
  /**
   * Gray inputs saved with an explicit `subsampling` (Pillow then writes that luma sampling in
   * SOF); same row format as `cases`, `subsampling` being the one passed.
   */
  grayWithSubsampling: JpegFixtureCase[];
}

let cached: JpegFixtures | undefined;

/** Reads the manifest and every input image (once per test file). */
export function loadJpegFixtures(): JpegFixtures {
  if (cached) return cached;
  const manifest = JSON.parse(readFileSync(DIR + 'manifest.json', 'utf8')) as {
    inputs: { name: string; file: string; width: number; height: number; channels: 1 | 3 }[];
    cases: [string, number, FixtureSubsampling, number, string, string][];
    debug: { input: string; quality: number; subsampling: FixtureSubsampling; file: string }[];
    grayWithSubsampling: [string, number, FixtureSubsampling, number, string, string][];
  };
  const images = new Map<string, Image>();
  for (const inp of manifest.inputs) {
    const data = new Uint8Array(readFileSync(DIR + inp.file));
    images.set(inp.name, { width: inp.width, height: inp.height, channels: inp.channels, data });
  }
  // '<base>@<w>x<h>' names the top-left w x h crop of input <base>.
  for (const [name] of manifest.cases) {
    if (images.has(name)) continue;
    const m = /^(.+)@(\d+)x(\d+)$/.exec(name);
    const base = m ? images.get(m[1]) : undefined;
    if (!m || !base) throw new Error(`jpeg fixtures: unknown input ${name}`);
    const w = Number(m[2]);
    const h = Number(m[3]);
    const c = base.channels;
    const data = new Uint8Array(w * h * c);
    for (let y = 0; y < h; y++) data.set(base.data.subarray(y * base.width * c, (y * base.width + w) * c), y * w * c);
    images.set(name, { width: w, height: h, channels: c, data });
  }
  const toCase = ([input, quality, subsampling, jpegLength, jpegSha256, pixelsSha256]: [string, number, FixtureSubsampling, number, string, string]): JpegFixtureCase => ({
    input, quality, subsampling, jpegLength, jpegSha256, pixelsSha256,
  });
  const cases = manifest.cases.map(toCase);
  cached = { images, cases, debug: manifest.debug, grayWithSubsampling: manifest.grayWithSubsampling.map(toCase) };
  return cached;
}

/** Bytes of a file under test/fixtures/jpeg/. */
export function readJpegFixtureFile(file: string): Uint8Array {
  return new Uint8Array(readFileSync(DIR + file));
}

/** Lowercase hex SHA-256. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
