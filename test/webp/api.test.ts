// The WebP API: argument errors, corrupt bytes, gray images, batches, bits, and loading.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import type { Image } from '../../src/image/image.js';
import {
  decodeWebp,
  encodeWebp,
  prepareWebp,
  readWebpContainer,
  webpBatchBitsPerPixel,
  webpBitsPerPixel,
  webpFileBitsPerPixel,
  webpRoundTrip,
  webpRoundTripBatch,
} from '../../src/webp/index.js';
import { createRandom } from '../../src/util/random.js';

function noise(width: number, height: number, channels: 1 | 3, seed: number): Image {
  const rng = createRandom(seed);
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        data[(y * width + x) * channels + c] = Math.max(0, Math.min(255, Math.round(40 + 3 * x + 2 * y + 30 * c + rng.int(40))));
      }
    }
  }
  return { width, height, channels, data };
}

function spreadGray(image: Image): Image {
  const data = new Uint8Array(image.width * image.height * 3);
  for (let i = 0; i < image.width * image.height; i++) data[3 * i] = data[3 * i + 1] = data[3 * i + 2] = image.data[i];
  return { width: image.width, height: image.height, channels: 3, data };
}

const rgb = noise(24, 20, 3, 1);
const gray = noise(24, 20, 1, 2);

describe('encodeWebp / decodeWebp', () => {
  test('writes a simple lossy RIFF/WEBP/VP8 file that decodes to the same size', async () => {
    const file = await encodeWebp(rgb, 60);
    const container = readWebpContainer(file);
    expect(container).toEqual({ format: 'VP8 ', width: 24, height: 20, frameOffset: 20, frameBytes: file.length - 20 - (file.length & 1), animated: false });
    const decoded = await decodeWebp(file);
    expect([decoded.width, decoded.height, decoded.channels, decoded.data.length]).toEqual([24, 20, 3, 24 * 20 * 3]);
  });

  test('size grows with quality; method changes the file', async () => {
    const sizes = await Promise.all([0, 25, 50, 75, 100].map(async (q) => (await encodeWebp(rgb, q)).length));
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
    const m0 = await encodeWebp(rgb, 50, { method: 0 });
    const m4 = await encodeWebp(rgb, 50);
    expect(Buffer.from(m0).equals(Buffer.from(m4))).toBe(false);
    expect(Buffer.from(await encodeWebp(rgb, 50, { method: 4 })).equals(Buffer.from(m4))).toBe(true);
  });

  test('gray images are encoded as R = G = B and come back gray from the same file', async () => {
    for (const q of [0, 30, 75, 100]) {
      const file = await encodeWebp(gray, q);
      expect(Buffer.from(file).equals(Buffer.from(await encodeWebp(spreadGray(gray), q)))).toBe(true);
      const asRgb = await decodeWebp(file);
      const asGray = await decodeWebp(file, { channels: 1 });
      for (let i = 0; i < gray.data.length; i++) {
        const [r, g, b] = [asRgb.data[3 * i], asRgb.data[3 * i + 1], asRgb.data[3 * i + 2]];
        expect(r === b && (r === g || r === g + 1)).toBe(true);
        expect(asGray.data[i]).toBe(g);
      }
    }
  });

  test('channels 1 refuses a colour file, naming a pixel', async () => {
    await expect(decodeWebp(await encodeWebp(rgb, 90), { channels: 1 })).rejects.toThrow(/not gray: pixel \(\d+, \d+\) is RGB/);
  });

  test('bad quality, options and images name the parameter', async () => {
    for (const q of [-1, 101, 50.5, Number.NaN]) {
      await expect(encodeWebp(rgb, q)).rejects.toThrow(/quality must be an integer in 0\.\.100/);
    }
    await expect(encodeWebp(rgb, '50' as unknown as number)).rejects.toThrow(/quality must be an integer in 0\.\.100, got "50"/);
    await expect(webpRoundTrip(rgb, 200)).rejects.toThrow(/quality/);
    await expect(encodeWebp(rgb, 50, { method: 7 })).rejects.toThrow(/options\.method must be an integer in 0\.\.6, got 7/);
    await expect(encodeWebp(rgb, 50, null as unknown as object)).rejects.toThrow(/options must be an object/);
    await expect(encodeWebp({ ...rgb, data: new Uint8Array(3) }, 50)).rejects.toThrow(/image\.data length/);
    await expect(encodeWebp({ ...rgb, channels: 4 as 3 }, 50)).rejects.toThrow(/image\.channels must be 1 or 3/);
    await expect(encodeWebp({ width: 16384, height: 1, channels: 1, data: new Uint8Array(16384) }, 50)).rejects.toThrow(/image\.width must be at most 16383/);
    await expect(decodeWebp([1, 2] as unknown as Uint8Array)).rejects.toThrow(/bytes must be a Uint8Array/);
    await expect(decodeWebp(await encodeWebp(rgb, 50), { channels: 2 as 1 })).rejects.toThrow(/options\.channels must be 1 or 3, got 2/);
  });

  test('corrupt bytes are rejected with the reason, never a hang', async () => {
    const file = await encodeWebp(rgb, 70);
    const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const cases: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(0), /shorter than the 20-byte RIFF/],
      ['PNG', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, ...new Uint8Array(20)]), /starts with .*not "RIFF"/],
      ['not WEBP', (() => { const b = file.slice(); b.set([0x57, 0x41, 0x56, 0x45], 8); return b; })(), /form is "WAVE"/],
      ['truncated', file.slice(0, file.length - 10), /truncated: the RIFF header announces/],
      ['bad chunk', (() => { const b = file.slice(); b.set([0x41, 0x42, 0x43, 0x44], 12); return b; })(), /first chunk is "ABCD"/],
      ['no start code', (() => { const b = file.slice(); b[23] = 0; return b; })(), /start code/],
      ['frame cut short, sizes kept consistent', (() => {
        const b = file.slice(0, 40);
        view(b).setUint32(4, 32, true);
        view(b).setUint32(16, 20, true);
        return b;
      })(), /libwebp could not decode its "VP8 " frame/],
    ];
    for (const [name, bytes, message] of cases) {
      await expect(decodeWebp(bytes), name).rejects.toThrow(message);
    }
  });
});

describe('round trips and bits', () => {
  test('webpRoundTrip is decode(encode) and keeps the channels', async () => {
    for (const image of [rgb, gray]) {
      const seen = await webpRoundTrip(image, 40);
      const direct = await decodeWebp(await encodeWebp(image, 40), { channels: image.channels });
      expect(seen).toEqual(direct);
    }
  });

  test('webpRoundTripBatch is webpRoundTrip of each image, same shape (also empty)', async () => {
    for (const channels of [1, 3] as const) {
      const images = [noise(16, 12, channels, 5), noise(16, 12, channels, 6), noise(16, 12, channels, 7)];
      const data = new Uint8Array(images.length * 16 * 12 * channels);
      images.forEach((im, i) => data.set(im.data, i * im.data.length));
      const batch = { count: 3, width: 16, height: 12, channels, data };
      const out = await webpRoundTripBatch(batch, 35);
      expect([out.count, out.width, out.height, out.channels, out.data.length]).toEqual([3, 16, 12, channels, data.length]);
      for (let i = 0; i < 3; i++) {
        expect(out.data.subarray(i * images[i].data.length, (i + 1) * images[i].data.length)).toEqual((await webpRoundTrip(images[i], 35)).data);
      }
    }
    const empty = await webpRoundTripBatch({ count: 0, width: 4, height: 4, channels: 3, data: new Uint8Array(0) }, 50);
    expect(empty.count).toBe(0);
    await expect(webpRoundTripBatch({ count: 1, width: 4, height: 4, channels: 3, data: new Uint8Array(5) }, 50)).rejects.toThrow(/batch\.data/);
  });

  test('bits per pixel: the whole file, and the frame without its 20 header bytes', async () => {
    const file = await encodeWebp(rgb, 50);
    const pixels = 24 * 20;
    const bits = webpFileBitsPerPixel(file);
    expect(bits.total).toBeCloseTo((8 * file.length) / pixels, 12);
    expect(bits.total - bits.frame).toBeCloseTo((8 * (20 + (file.length & 1))) / pixels, 12);
    expect(await webpBitsPerPixel(rgb, 50)).toEqual(bits);
    const other = noise(24, 20, 3, 9);
    const batch = { count: 2, width: 24, height: 20, channels: 3 as const, data: new Uint8Array([...rgb.data, ...other.data]) };
    const mean = await webpBatchBitsPerPixel(batch, 50);
    const second = await webpBitsPerPixel(other, 50);
    expect(mean.total).toBeCloseTo((bits.total + second.total) / 2, 12);
    expect(mean.frame).toBeCloseTo((bits.frame + second.frame) / 2, 12);
    await expect(webpBatchBitsPerPixel({ ...batch, count: 0, data: new Uint8Array(0) }, 50)).rejects.toThrow(/batch\.count must be at least 1/);
  });
});

describe('prepareWebp', () => {
  const require = createRequire(import.meta.url);
  const wasm = (file: string) => readFileSync(require.resolve(`@jsquash/webp/codec/${file}`));

  test('takes the .wasm bytes or modules; the build without SIMD writes the same bytes', async () => {
    const expected = await encodeWebp(rgb, 65);
    await prepareWebp({ encoderWasm: wasm('enc/webp_enc.wasm'), decoderWasm: new WebAssembly.Module(wasm('dec/webp_dec.wasm')) });
    expect(Buffer.from(await encodeWebp(rgb, 65)).equals(Buffer.from(expected))).toBe(true);
    expect(await decodeWebp(expected)).toEqual(await webpRoundTrip(rgb, 65));
    await prepareWebp({ encoderWasm: wasm('enc/webp_enc_simd.wasm') });
    expect(Buffer.from(await encodeWebp(rgb, 65)).equals(Buffer.from(expected))).toBe(true);
  });

  test('bad options are named', async () => {
    await expect(prepareWebp({ encoderWasm: 'x' as unknown as ArrayBuffer })).rejects.toThrow(/options\.encoderWasm must be a WebAssembly\.Module, an ArrayBuffer or a typed array, got "x"/);
    await expect(prepareWebp({ decoderWasm: new Uint8Array([1, 2, 3, 4]) })).rejects.toThrow(/options\.decoderWasm is not a WebAssembly module/);
    await expect(prepareWebp(7 as unknown as object)).rejects.toThrow(/options must be an object/);
    // A failed load leaves the codec loadable again.
    await prepareWebp();
    expect((await encodeWebp(rgb, 10)).length).toBeGreaterThan(20);
  });
});
