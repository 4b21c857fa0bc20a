// Our WebP codec against Debian's cwebp/dwebp 1.2.4 on the committed crops (test/fixtures/webp/,
// made by scripts/make-webp-fixtures.py). Held-out photos: scripts/check-webp-heldout.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import { checkFixtureFolder, readManifest, WEBP_FIXTURES, type WebpCaseResult } from './webp-fixtures.js';

describe('WebP against cwebp and dwebp', () => {
  let results: WebpCaseResult[];
  beforeAll(async () => {
    results = await checkFixtureFolder(WEBP_FIXTURES);
  });

  test('the fixtures cover RGB and gray crops, a spread of qualities and methods', () => {
    const manifest = readManifest(WEBP_FIXTURES);
    expect(manifest.cwebp).toBe('1.2.4');
    expect(new Set(manifest.inputs.map((i) => i.channels))).toEqual(new Set([1, 3]));
    expect(new Set(manifest.cases.map((c) => c.quality)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(manifest.cases.map((c) => c.method)).size).toBeGreaterThanOrEqual(3);
    expect(results.length).toBe(manifest.cases.length);
  });

  test("our decoder gives dwebp's pixels exactly on cwebp's files", () => {
    expect(results.filter((r) => !r.decodeExact).map((r) => r.name)).toEqual([]);
  });

  test("gray: channels 1 gives Pillow's convert('L') of dwebp's pixels", () => {
    const gray = results.filter((r) => r.grayExact !== null);
    expect(gray.length).toBeGreaterThan(0);
    expect(gray.filter((r) => !r.grayExact).map((r) => r.name)).toEqual([]);
  });

  test("our encoder's files are within 2% of cwebp's size and 0.1 dB of its PSNR", () => {
    const off = results.filter((r) => Math.abs(r.sizeRatio - 1) > 0.02 || Math.abs(r.psnrDiff) > 0.1);
    expect(off.map((r) => `${r.name}: size x${r.sizeRatio.toFixed(4)}, ${r.psnrDiff.toFixed(3)} dB`)).toEqual([]);
  });

  test("our encoder writes cwebp's bytes exactly (libwebp 1.1.0 in WebAssembly, 1.2.4 in Debian)", () => {
    expect(results.filter((r) => !r.identical).map((r) => r.name)).toEqual([]);
  });
});
