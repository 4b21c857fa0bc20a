/**
 * Fuzz test of the Node loaders: seeded truncated, bit-flipped and header-overwritten PNG, WAV,
 * IDX and CIFAR-10 files, each loaded through the public loader and its parser. Every case must
 * give a correct-shaped result or an `Error` naming the file and a reason, within PER_CASE_MS,
 * and truncated files must fail (no silent short result). Headers with bogus sizes (an IDX count
 * of 2^31, a WAV data chunk past the end, a PNG of 2^31 x 2^31 pixels with a valid CRC) are
 * tried explicitly: they must fail fast, without sizing a buffer from the header.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';
import { loadCifar10, parseCifar10Batch } from '../../src/node/loaders/cifar10.js';
import { loadIdx, parseIdx } from '../../src/node/loaders/idx.js';
import { decodeImageFile, loadImageFolder } from '../../src/node/loaders/image-folder.js';
import { crc32 } from '../../src/node/loaders/png.js';
import { loadWavFolder } from '../../src/node/loaders/wav-folder.js';
import { createRandom, type Random } from '../../src/util/random.js';

/** Bound on one case (tiny files: a few milliseconds when healthy; generous for a loaded machine). */
const PER_CASE_MS = 2000;

const root = mkdtempSync(path.join(tmpdir(), 'loaders-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Case {
  what: string;
  bytes: Uint8Array;
  /** A strict prefix of a valid file: must fail. */
  truncated: boolean;
}

/** Library and engine texts that must never reach the user unexplained. */
const RAW = /waitng|unrecognised content|Crc error|Cannot read properties|is not a function|Invalid array length|Offset is outside|out of memory|call stack|Invalid typed array length/i;

class Report {
  failures: string[] = [];
  cases = 0;
  errors = 0;
  slowest = 0;

  async run(file: string, c: Case, load: () => unknown, check: (result: never) => string | undefined): Promise<void> {
    this.cases++;
    const t0 = performance.now();
    let result: unknown;
    let error: unknown;
    try {
      result = await load();
    } catch (e) {
      error = e;
    }
    const ms = performance.now() - t0;
    this.slowest = Math.max(this.slowest, ms);
    const label = `${c.what} (${path.basename(path.dirname(path.dirname(file)))})`;
    if (ms > PER_CASE_MS) this.failures.push(`${label}: took ${ms.toFixed(0)} ms`);
    if (error !== undefined) {
      this.errors++;
      if (!(error instanceof Error)) this.failures.push(`${label}: threw a non-Error ${String(error)}`);
      else if (!error.message.includes(file)) this.failures.push(`${label}: message does not name the file: ${error.message}`);
      else if (RAW.test(error.message)) this.failures.push(`${label}: raw library text: ${error.message}`);
      else if (error.message.length < file.length + 12) this.failures.push(`${label}: no reason: ${error.message}`);
      return;
    }
    if (c.truncated) this.failures.push(`${label}: a truncated file loaded without an error`);
    const bad = check(result as never);
    if (bad !== undefined) this.failures.push(`${label}: wrong-shaped result: ${bad}`);
  }
}

const WORDS = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000000];

/** Seeded damage: truncations, 1-3 random bit flips, a bit flip or an extreme word in the header. */
function mutations(base: Uint8Array, seed: number, count: number, headerBytes: number, repair?: (b: Uint8Array) => void): Case[] {
  const rng: Random = createRandom(seed);
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 4;
    if (kind === 0) {
      const cut = rng.int(base.length);
      out.push({ what: `truncated to ${cut} of ${base.length} bytes`, bytes: base.slice(0, cut), truncated: true });
      continue;
    }
    const bytes = base.slice();
    let what: string;
    if (kind === 1) {
      const flips = 1 + rng.int(3);
      const at: number[] = [];
      for (let f = 0; f < flips; f++) {
        const bit = rng.int(bytes.length * 8);
        bytes[bit >> 3] ^= 1 << (bit & 7);
        at.push(bit);
      }
      what = `bits ${at.join(',')} flipped`;
    } else if (kind === 2) {
      const bit = rng.int(Math.min(headerBytes, bytes.length) * 8);
      bytes[bit >> 3] ^= 1 << (bit & 7);
      what = `header bit ${bit} flipped`;
    } else {
      const at = 4 * rng.int(Math.floor(Math.min(headerBytes, bytes.length) / 4));
      const word = rng.int(2) === 0 ? WORDS[rng.int(WORDS.length)] : Math.floor(rng.next() * 2 ** 32);
      new DataView(bytes.buffer).setUint32(at, word, rng.int(2) === 0);
      what = `word at ${at} set to 0x${word.toString(16)}`;
    }
    if (repair && rng.int(2) === 0) {
      repair(bytes);
      what += ', CRCs repaired';
    }
    out.push({ what, bytes, truncated: false });
  }
  return out;
}

let caseNo = 0;
/** Writes `bytes` as `root/<kind>-<n>/a/<name>` and returns the file (one class folder, one file). */
function place(kind: string, name: string, bytes: Uint8Array): { dir: string; file: string } {
  const dir = path.join(root, `${kind}-${caseNo++}`);
  mkdirSync(path.join(dir, 'a'), { recursive: true });
  const file = path.join(dir, 'a', name);
  writeFileSync(file, bytes);
  return { dir, file };
}

// ---------------------------------------------------------------- PNG

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length, false);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)), false);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function ihdr(width: number, height: number, depth: number, colorType: number, interlace: number): Uint8Array {
  const d = new Uint8Array(13);
  const v = new DataView(d.buffer);
  v.setUint32(0, width, false);
  v.setUint32(4, height, false);
  d.set([depth, colorType, 0, 0, interlace], 8);
  return chunk('IHDR', d);
}

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A hand-made PNG: `rows(w, y)` gives the bytes of one scanline (filter 0) of a pass `w` wide. */
function handPng(width: number, height: number, depth: number, colorType: number, interlace: boolean, rowBytes: (w: number, y: number) => Uint8Array, extra: Uint8Array[] = []): Uint8Array {
  const passes = interlace
    ? [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]].map(([x0, y0, dx, dy]) => [Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)])
    : [[width, height]];
  const raw: Uint8Array[] = [];
  for (const [w, h] of passes) {
    if (w <= 0 || h <= 0) continue;
    for (let y = 0; y < h; y++) raw.push(new Uint8Array([0]), rowBytes(w, y));
  }
  const z = deflateSync(concat(raw));
  const half = Math.floor(z.length / 2);
  return concat([
    SIGNATURE,
    ihdr(width, height, depth, colorType, interlace ? 1 : 0),
    ...extra,
    chunk('IDAT', z.subarray(0, half)),
    chunk('IDAT', z.subarray(half)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

function pngjsPng(width: number, height: number, colorType: 0 | 2 | 6): Uint8Array {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height * 4; i++) png.data[i] = (i * 37 + (i >> 4)) % 256;
  return new Uint8Array(PNG.sync.write(png, { colorType }));
}

/** Recomputes the CRC of every chunk whose declared length fits in the file. */
function repairPngCrcs(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 8;
  while (o + 12 <= bytes.length) {
    const length = view.getUint32(o, false);
    if (o + 12 + length > bytes.length) return;
    view.setUint32(o + 8 + length, crc32(bytes.subarray(o + 4, o + 8 + length)), false);
    o += 12 + length;
  }
}

function pngHeaderSize(bytes: Uint8Array): [number, number] | undefined {
  if (bytes.length < 24) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return [v.getUint32(16, false), v.getUint32(20, false)];
}

function checkImage(image: { width: number; height: number; channels: number; data: Uint8Array }, bytes: Uint8Array): string | undefined {
  const { width, height, channels, data } = image;
  if (channels !== 1 && channels !== 3) return `channels ${channels}`;
  if (!(data instanceof Uint8Array) || data.length !== width * height * channels) return `${width}x${height}x${channels} with ${data.length} bytes`;
  const declared = pngHeaderSize(bytes);
  if (declared && (declared[0] !== width || declared[1] !== height)) return `${width}x${height}, the header declares ${declared.join('x')}`;
  return undefined;
}

const PNG_BASES: Record<string, Uint8Array> = {
  'rgb-pngjs': pngjsPng(11, 7, 2),
  'gray-pngjs': pngjsPng(9, 5, 0),
  'rgba-pngjs': pngjsPng(6, 6, 6),
  'palette-4bit': handPng(10, 6, 4, 3, false, (w, y) => Uint8Array.from({ length: Math.ceil(w / 2) }, (_, i) => ((i + y) * 0x13) & 0x77), [
    chunk('PLTE', Uint8Array.from({ length: 8 * 3 }, (_, i) => i * 10)),
    chunk('tEXt', new TextEncoder().encode('Comment\0fuzz base')),
  ]),
  'interlaced-rgb': handPng(13, 9, 8, 2, true, (w, y) => Uint8Array.from({ length: 3 * w }, (_, i) => (i * 7 + y * 29) % 256)),
  'gray16': handPng(5, 4, 16, 0, false, (w, y) => Uint8Array.from({ length: 2 * w }, (_, i) => (i * 51 + y) % 256)),
};

describe('loaders fuzz: PNG through loadImageFolder and decodeImageFile', () => {
  it('decodes every base file', () => {
    for (const [name, bytes] of Object.entries(PNG_BASES)) {
      const image = decodeImageFile(name, bytes);
      expect(checkImage(image, bytes), name).toBeUndefined();
    }
  });

  it('gives a correct-shaped image or a clear error naming the file, fast, for 300 damaged files', async () => {
    const report = new Report();
    let seed = 100;
    for (const [name, base] of Object.entries(PNG_BASES)) {
      for (const c of mutations(base, seed++, 50, 33, repairPngCrcs)) {
        const { dir, file } = place(`png-${name}`, 'x.png', c.bytes);
        await report.run(file, c, () => decodeImageFile(file, c.bytes), (im) => checkImage(im, c.bytes));
        await report.run(file, c, () => loadImageFolder(dir, { channels: 3 }), (set: Awaited<ReturnType<typeof loadImageFolder>>) =>
          set.images.length !== 1 || set.labels[0] !== 0 ? `${set.images.length} images` : checkImage(set.images[0], c.bytes));
      }
    }
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(600);
    expect(report.errors).toBeGreaterThan(300);
  });

  it('refuses bogus header sizes before sizing a buffer from them', async () => {
    const report = new Report();
    const tiny = handPng(4, 4, 8, 2, false, (w) => new Uint8Array(3 * w));
    const withHeader = (w: number, h: number, colorType = 2, interlace = 0): Uint8Array => {
      const b = tiny.slice();
      b.set(ihdr(w, h, 8, colorType, interlace), 8);
      return b;
    };
    const idatLength = (length: number): Uint8Array => {
      const b = tiny.slice();
      new DataView(b.buffer).setUint32(33, length, false);
      return b;
    };
    const cases: Case[] = [
      { what: '2^31-1 x 2^31-1 pixels, valid CRC', bytes: withHeader(0x7fffffff, 0x7fffffff), truncated: false },
      { what: '20000 x 20000 pixels, valid CRC', bytes: withHeader(20000, 20000), truncated: false },
      { what: '13000 x 13000 RGBA pixels, valid CRC, 20 bytes of data', bytes: withHeader(13000, 13000, 6), truncated: false },
      { what: '13000 x 13000 interlaced', bytes: withHeader(13000, 13000, 2, 1), truncated: false },
      { what: '4 x 200000', bytes: withHeader(4, 200000), truncated: false },
      { what: 'IDAT length 2^31-1', bytes: idatLength(0x7fffffff), truncated: false },
      { what: 'IDAT length 2^32-1', bytes: idatLength(0xffffffff), truncated: false },
      { what: 'signature only', bytes: SIGNATURE, truncated: true },
      { what: 'first 4 signature bytes', bytes: SIGNATURE.subarray(0, 4), truncated: true },
    ];
    for (const c of cases) {
      const { dir, file } = place('png-header', 'x.png', c.bytes);
      await report.run(file, c, () => decodeImageFile(file, c.bytes), (im) => checkImage(im, c.bytes));
      await report.run(file, c, () => loadImageFolder(dir), () => 'loaded');
    }
    expect(report.failures).toEqual([]);
    expect(report.errors).toBe(2 * cases.length);
  });
});

// ---------------------------------------------------------------- WAV

const tone = (n: number, k: number): Float32Array => Float32Array.from({ length: n }, (_, i) => 0.6 * Math.sin((2 * Math.PI * k * i) / n));

function wav8bit(): Uint8Array {
  const pcm16 = encodeWav([new Float32Array(150)], 8000);
  const bytes = new Uint8Array(44 + 150);
  bytes.set(pcm16.subarray(0, 44));
  const v = new DataView(bytes.buffer);
  v.setUint32(4, 36 + 150, true);
  v.setUint32(28, 8000, true);
  v.setUint16(32, 1, true);
  v.setUint16(34, 8, true);
  v.setUint32(40, 150, true);
  for (let i = 0; i < 150; i++) bytes[44 + i] = (i * 11) % 256;
  return bytes;
}

function wavExtensible(): Uint8Array {
  const plain = encodeWav([tone(120, 3)], 8000, { encoding: 'float' });
  const ext = new Uint8Array(plain.length + 24);
  const ev = new DataView(ext.buffer);
  ext.set(plain.subarray(0, 20));
  ev.setUint32(16, 40, true);
  ev.setUint16(20, 0xfffe, true);
  ext.set(plain.subarray(22, 36), 22);
  ev.setUint16(36, 22, true);
  ev.setUint16(44, 3, true);
  ext.set(plain.subarray(36), 60);
  ev.setUint32(4, ext.length - 8, true);
  return ext;
}

/** A 16-bit file with an odd-sized LIST chunk (and its pad byte) between fmt and data. */
function wavWithList(): Uint8Array {
  const plain = encodeWav([tone(100, 2)], 8000);
  const list = new Uint8Array(8 + 7 + 1);
  list.set([0x4c, 0x49, 0x53, 0x54]);
  new DataView(list.buffer).setUint32(4, 7, true);
  list.set(new TextEncoder().encode('INFOabc'), 8);
  const out = concat([plain.subarray(0, 36), list, plain.subarray(36)]);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

const WAV_BASES: Record<string, { bytes: Uint8Array; header: number }> = {
  pcm16: { bytes: encodeWav([tone(200, 5)], 8000), header: 44 },
  'pcm24-stereo': { bytes: encodeWav([tone(100, 5), tone(100, 7)], 8000, { bits: 24 }), header: 44 },
  float32: { bytes: encodeWav([tone(150, 4)], 8000, { encoding: 'float' }), header: 44 },
  pcm8: { bytes: wav8bit(), header: 44 },
  extensible: { bytes: wavExtensible(), header: 68 },
  'list-chunk': { bytes: wavWithList(), header: 60 },
};

function checkSignal(s: Float32Array): string | undefined {
  if (!(s instanceof Float32Array) || s.length === 0) return `signal of ${s.length} samples`;
  for (const v of s) if (!Number.isFinite(v)) return `non-finite sample ${v}`;
  return undefined;
}

describe('loaders fuzz: WAV through loadWavFolder and decodeWav', () => {
  it('gives a correct-shaped signal or a clear error naming the file, fast, for 240 damaged files', async () => {
    const report = new Report();
    let seed = 200;
    for (const [name, base] of Object.entries(WAV_BASES)) {
      expect(decodeWav(base.bytes).channelData[0].length, name).toBeGreaterThan(0);
      for (const c of mutations(base.bytes, seed++, 40, base.header)) {
        const { dir, file } = place(`wav-${name}`, 'x.wav', c.bytes);
        await report.run(file, c, () => decodeWav(c.bytes, { name: file }), (w: ReturnType<typeof decodeWav>) => {
          const n = w.channelData[0]?.length;
          if (w.channelData.length < 1 || w.channelData.some((ch) => ch.length !== n)) return `${w.channelData.length} channels of unequal length`;
          for (const ch of w.channelData) for (const v of ch) if (!Number.isFinite(v)) return `non-finite sample ${v}`;
          return undefined;
        });
        await report.run(file, c, () => loadWavFolder(dir, { sampleRate: 8000 }), (set: Awaited<ReturnType<typeof loadWavFolder>>) =>
          set.signals.length !== 1 || set.labels[0] !== 0 || set.sampleRate !== 8000 ? `${set.signals.length} signals` : checkSignal(set.signals[0]));
      }
    }
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(480);
    expect(report.errors).toBeGreaterThan(120);
  });

  it('refuses bogus chunk sizes and sample rates fast', async () => {
    const report = new Report();
    const base = WAV_BASES.pcm16.bytes;
    const set = (at: number, value: number, bits: 16 | 32 = 32, from = base): Uint8Array => {
      const b = from.slice();
      const v = new DataView(b.buffer);
      if (bits === 32) v.setUint32(at, value, true);
      else v.setUint16(at, value, true);
      return b;
    };
    const cases: Case[] = [
      { what: 'data chunk of 2^32-1 bytes', bytes: set(40, 0xffffffff), truncated: false },
      { what: 'data chunk one byte past the end', bytes: set(40, base.length - 44 + 1), truncated: false },
      { what: 'fmt chunk of 2^32-1 bytes', bytes: set(16, 0xffffffff), truncated: false },
      { what: 'LIST chunk of 2^31 bytes', bytes: set(40, 0x80000000, 32, WAV_BASES['list-chunk'].bytes), truncated: false },
      { what: 'sample rate 2^32-1', bytes: set(24, 0xffffffff), truncated: false },
      { what: 'sample rate 2^28 + 8000', bytes: set(24, 0x10000000 + 8000), truncated: false },
      { what: 'sample rate 1', bytes: set(24, 1), truncated: false },
      { what: '65535 channels', bytes: set(32, 65535, 16, set(22, 65535, 16)), truncated: false },
    ];
    for (const c of cases) {
      const { dir, file } = place('wav-header', 'x.wav', c.bytes);
      await report.run(file, c, () => loadWavFolder(dir, { sampleRate: 8000 }), () => 'loaded');
    }
    expect(report.failures).toEqual([]);
    expect(report.errors).toBe(cases.length);
  });
});

// ---------------------------------------------------------------- IDX and CIFAR-10

function idx(shape: number[], fill: (i: number) => number): Uint8Array {
  const total = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * shape.length + total);
  const v = new DataView(out.buffer);
  out.set([0, 0, 8, shape.length]);
  shape.forEach((n, d) => v.setUint32(4 + 4 * d, n, false));
  for (let i = 0; i < total; i++) out[4 + 4 * shape.length + i] = fill(i);
  return out;
}

describe('loaders fuzz: IDX through loadIdx and parseIdx, CIFAR-10 through loadCifar10', () => {
  const images = idx([6, 5, 4], (i) => (i * 13) % 256);
  const labels = idx([6], (i) => i % 3);
  const rgb = idx([3, 4, 4, 3], (i) => (i * 7) % 256);
  const rgbLabels = idx([3], (i) => i);

  const checkSet = (set: Awaited<ReturnType<typeof loadIdx>>): string | undefined => {
    if (set.images.length !== set.labels.length) return `${set.images.length} images, ${set.labels.length} labels`;
    for (const im of set.images) {
      if (im.width < 1 || im.height < 1 || im.data.length !== im.width * im.height * im.channels) return `image ${im.width}x${im.height}x${im.channels}, ${im.data.length} bytes`;
    }
    return undefined;
  };

  it('gives a correct-shaped set or a clear error naming the file, fast, for 200 damaged files', async () => {
    const report = new Report();
    const variants: [string, Uint8Array, 'images' | 'labels', boolean, Uint8Array][] = [
      ['images-raw', images, 'images', false, labels],
      ['images-gz', images, 'images', true, labels],
      ['labels-raw', labels, 'labels', false, images],
      ['labels-gz', labels, 'labels', true, images],
      ['rgb-images', rgb, 'images', false, rgbLabels],
    ];
    let seed = 300;
    for (const [name, base, role, gz, partner] of variants) {
      const bytes = gz ? new Uint8Array(gzipSync(base)) : base;
      for (const c of mutations(bytes, seed++, 40, gz ? 24 : base[3] * 4 + 4)) {
        const { dir, file } = place(`idx-${name}`, `${role}-idx-ubyte${gz ? '.gz' : ''}`, c.bytes);
        const other = path.join(dir, 'partner-idx-ubyte');
        writeFileSync(other, partner);
        const [imagesFile, labelsFile] = role === 'images' ? [file, other] : [other, file];
        if (!gz) await report.run(file, c, () => parseIdx(file, c.bytes), (a: ReturnType<typeof parseIdx>) =>
          a.data.length !== a.shape.reduce((x, y) => x * y, 1) ? `shape ${a.shape} with ${a.data.length} bytes` : undefined);
        await report.run(file, c, () => loadIdx(imagesFile, labelsFile), checkSet);
      }
    }
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(3 * 40 * 2 + 2 * 40);
  });

  it('refuses headers that claim 2^31 items fast', async () => {
    const report = new Report();
    const withWord = (base: Uint8Array, at: number, value: number): Uint8Array => {
      const b = base.slice();
      new DataView(b.buffer).setUint32(at, value, false);
      return b;
    };
    const cases: [Case, 'images' | 'labels'][] = [
      [{ what: '2^31 images', bytes: withWord(images, 4, 0x80000000), truncated: false }, 'images'],
      [{ what: '2^32-1 images of 2^32-1 x 2^32-1', bytes: withWord(withWord(withWord(images, 4, 0xffffffff), 8, 0xffffffff), 12, 0xffffffff), truncated: false }, 'images'],
      [{ what: '2^31 labels', bytes: withWord(labels, 4, 0x80000000), truncated: false }, 'labels'],
      [{ what: '255 dimensions', bytes: Uint8Array.from([0, 0, 8, 255, 0, 0, 0, 1]), truncated: false }, 'images'],
      [{ what: 'gzip of a 2^31-image header', bytes: new Uint8Array(gzipSync(withWord(images, 4, 0x80000000))), truncated: false }, 'images'],
    ];
    for (const [c, role] of cases) {
      const { dir, file } = place('idx-header', `${role}-idx-ubyte`, c.bytes);
      const other = path.join(dir, 'partner-idx-ubyte');
      writeFileSync(other, role === 'images' ? labels : images);
      await report.run(file, c, () => (role === 'images' ? loadIdx(file, other) : loadIdx(other, file)), () => 'loaded');
    }
    expect(report.failures).toEqual([]);
    expect(report.errors).toBe(cases.length);
  });

  it('CIFAR-10 batches: a whole number of records with labels 0..9, or a clear error naming the file', async () => {
    const record = (r: number): Uint8Array => Uint8Array.from({ length: 3073 }, (_, i) => (i === 0 ? r % 10 : (i * 3 + r) % 256));
    const batch = concat([record(0), record(1), record(2)]);
    const report = new Report();
    for (const c of mutations(batch, 400, 40, 3073 * 3)) {
      const { dir, file } = place('cifar', 'data_batch_1.bin', c.bytes);
      writeFileSync(path.join(dir, 'test_batch.bin'), record(5));
      const whole = c.truncated && c.bytes.length > 0 && c.bytes.length % 3073 === 0;
      const cc = whole ? { ...c, truncated: false } : c; // a cut at a record boundary is a smaller valid batch
      const shape = (set: { images: { data: Uint8Array }[]; labels: number[] }): string | undefined =>
        set.images.length * 3073 !== c.bytes.length || set.labels.some((l) => l > 9) ? `${set.images.length} images from ${c.bytes.length} bytes` : undefined;
      const batchFile = path.join(dir, 'a', 'data_batch_1.bin');
      await report.run(batchFile, cc, () => parseCifar10Batch(batchFile, c.bytes), shape);
      writeFileSync(path.join(dir, 'data_batch_1.bin'), c.bytes);
      await report.run(path.join(dir, 'data_batch_1.bin'), cc, () => loadCifar10(dir, { trainBatches: [1] }), (d: Awaited<ReturnType<typeof loadCifar10>>) => shape(d.train));
    }
    expect(report.failures).toEqual([]);
  });
});
