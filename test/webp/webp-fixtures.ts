/**
 * Reads a WebP fixture folder written by scripts/make-webp-fixtures.py (the committed one, or a
 * held-out one) and compares our codec with cwebp/dwebp on each case. Shared by the suite and
 * scripts/check-webp-heldout.ts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Image } from '../../src/image/image.js';
import { decodeWebp, encodeWebp } from '../../src/webp/index.js';

export const WEBP_FIXTURES = fileURLToPath(new URL('../fixtures/webp/', import.meta.url));

export interface WebpFixtureInput {
  name: string;
  width: number;
  height: number;
  channels: 1 | 3;
  source: string;
}

export interface WebpFixtureCase {
  input: string;
  quality: number;
  method: number;
  file: string;
  bytes: number;
  rgbSha256: string;
  graySha256?: string;
  psnr: number | null;
  decoded?: string;
}

export interface WebpFixtureManifest {
  cwebp: string;
  dwebp: string;
  inputs: WebpFixtureInput[];
  cases: WebpFixtureCase[];
}

/** Our figures on one case, beside cwebp's and dwebp's. */
export interface WebpCaseResult {
  name: string;
  /** Our decoder on cwebp's file: RGB equal to dwebp's (hash, and raw where committed). */
  decodeExact: boolean;
  /** With `channels: 1`, equal to Pillow's `convert('L')` of dwebp's RGB (gray inputs only). */
  grayExact: boolean | null;
  /** Our encoder's file, byte for byte cwebp's. */
  identical: boolean;
  /** Our file's size / cwebp's. */
  sizeRatio: number;
  /** PSNR of our round trip minus cwebp+dwebp's (dB; 0 when both are exact). */
  psnrDiff: number;
}

export function readManifest(dir: string): WebpFixtureManifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as WebpFixtureManifest;
}

export function readInput(dir: string, input: WebpFixtureInput): Image {
  const data = new Uint8Array(readFileSync(join(dir, 'inputs', `${input.name}.bin`)));
  return { width: input.width, height: input.height, channels: input.channels, data };
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function psnr(a: Uint8Array, b: Uint8Array): number | null {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum === 0 ? null : 10 * Math.log10((255 * 255 * a.length) / sum);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function psnrDifference(ours: number | null, theirs: number | null): number {
  if (ours === null && theirs === null) return 0;
  if (ours === null || theirs === null) return Infinity;
  return ours - theirs;
}

export function caseName(c: WebpFixtureCase): string {
  return `${c.input} q${c.quality} m${c.method}`;
}

/** Runs our decoder and encoder on one case. */
export async function checkCase(dir: string, input: WebpFixtureInput, image: Image, c: WebpFixtureCase): Promise<WebpCaseResult> {
  const reference = new Uint8Array(readFileSync(join(dir, c.file)));
  const rgb = await decodeWebp(reference);
  let decodeExact = sha256(rgb.data) === c.rgbSha256;
  if (c.decoded !== undefined) decodeExact &&= sameBytes(rgb.data, new Uint8Array(readFileSync(join(dir, c.decoded))));
  let grayExact: boolean | null = null;
  if (input.channels === 1) grayExact = sha256((await decodeWebp(reference, { channels: 1 })).data) === c.graySha256;

  const ours = await encodeWebp(image, c.quality, { method: c.method });
  const seen = await decodeWebp(ours, { channels: input.channels });
  return {
    name: caseName(c),
    decodeExact,
    grayExact,
    identical: sameBytes(ours, reference),
    sizeRatio: ours.length / c.bytes,
    psnrDiff: psnrDifference(psnr(seen.data, image.data), c.psnr),
  };
}

/** Runs {@link checkCase} on every case of a fixture folder. */
export async function checkFixtureFolder(dir: string): Promise<WebpCaseResult[]> {
  const manifest = readManifest(dir);
  const inputs = new Map(manifest.inputs.map((input) => [input.name, { input, image: readInput(dir, input) }]));
  const results: WebpCaseResult[] = [];
  for (const c of manifest.cases) {
    const found = inputs.get(c.input);
    if (found === undefined) throw new Error(`case ${caseName(c)} names an unknown input`);
    results.push(await checkCase(dir, found.input, found.image, c));
  }
  return results;
}
