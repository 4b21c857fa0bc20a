// The WebAssembly round-trip kernel against Pillow's golden pixels and against the JavaScript path.
import { describe, expect, it } from 'vitest';
import type { ChromaSubsampling } from '../../src/image/forward.js';
import type { ImageBatch } from '../../src/image/image.js';
import { prepareJpegKernel } from '../../src/image/index.js';
import { jpegRoundTripJs, jpegRoundTripRangeJs } from '../../src/image/roundtrip.js';
import { jpegKernelAvailable, jpegKernelMemoryBytes, jpegRoundTripRangeWasm, WHOLE_IMAGE_BYTES } from '../../src/image/roundtrip-wasm.js';
import { jpegQuantizer } from '../../src/image/quantizer.js';
import { createRandom } from '../../src/util/random.js';
import { loadJpegFixtures, sha256 } from './jpeg-fixtures.js';

const SUBSAMPLINGS: ChromaSubsampling[] = ['4:2:0', '4:2:2', '4:4:4'];

/** The kernel's round trip of one image (throws where the kernel is unavailable). */
function kernelRoundTrip(data: Uint8Array, width: number, height: number, channels: 1 | 3, quality: number, sub: ChromaSubsampling): Uint8Array {
  const out = new Uint8Array(data.length);
  if (!jpegRoundTripRangeWasm(data, width, height, channels, jpegQuantizer(quality), sub, out, 0, 1)) throw new Error('no kernel');
  return out;
}

/** Noise, or smooth content (a few random values bilinearly stretched), of one size. */
function content(rng: ReturnType<typeof createRandom>, width: number, height: number, channels: 1 | 3, smooth: boolean): Uint8Array {
  const data = new Uint8Array(width * height * channels);
  if (!smooth) {
    for (let i = 0; i < data.length; i++) data[i] = rng.int(256);
    return data;
  }
  const g = 4;
  const base = Array.from({ length: g * g * channels }, () => rng.int(256));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const fy = (y / Math.max(1, height - 1)) * (g - 1), fx = (x / Math.max(1, width - 1)) * (g - 1);
      const y0 = Math.min(g - 2, Math.floor(fy)), x0 = Math.min(g - 2, Math.floor(fx));
      const ty = fy - y0, tx = fx - x0;
      for (let c = 0; c < channels; c++) {
        const at = (yy: number, xx: number): number => base[(yy * g + xx) * channels + c];
        const v = (at(y0, x0) * (1 - tx) + at(y0, x0 + 1) * tx) * (1 - ty) + (at(y0 + 1, x0) * (1 - tx) + at(y0 + 1, x0 + 1) * tx) * ty;
        data[(y * width + x) * channels + c] = Math.round(v);
      }
    }
  }
  return data;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('JPEG round-trip kernel (WebAssembly SIMD)', () => {
  it('is available in Node, and prepareJpegKernel resolves true', async () => {
    expect(jpegKernelAvailable()).toBe(true);
    await expect(prepareJpegKernel()).resolves.toBe(true);
  });

  const { images, cases } = loadJpegFixtures();

  it(`matches Pillow on all ${cases.length} golden cases, on the kernel path and on the JavaScript path`, () => {
    const failures: string[] = [];
    for (const c of cases) {
      const image = images.get(c.input)!;
      const sub = c.subsampling === 'gray' ? '4:2:0' : c.subsampling;
      const kernel = kernelRoundTrip(image.data, image.width, image.height, image.channels, c.quality, sub);
      const js = jpegRoundTripJs(image, c.quality, c.subsampling === 'gray' ? {} : { subsampling: c.subsampling }).data;
      if (sha256(kernel) !== c.pixelsSha256 && failures.length < 10) failures.push(`kernel ${c.input} q${c.quality} ${c.subsampling}`);
      if (sha256(js) !== c.pixelsSha256 && failures.length < 10) failures.push(`js ${c.input} q${c.quality} ${c.subsampling}`);
    }
    expect(failures).toEqual([]);
  });

  it('equals the JavaScript path on 600 random cases (sizes 1..70, every quality, RGB 4:2:0/4:2:2/4:4:4 and gray, noise and smooth)', () => {
    const rng = createRandom(20261122);
    const failures: string[] = [];
    for (let t = 0; t < 600; t++) {
      const width = 1 + rng.int(70), height = 1 + rng.int(70);
      const channels = rng.int(4) === 0 ? 1 : 3;
      const sub = SUBSAMPLINGS[rng.int(3)];
      const quality = 1 + rng.int(100);
      const smooth = rng.int(2) === 0;
      const data = content(rng, width, height, channels, smooth);
      const kernel = kernelRoundTrip(data, width, height, channels, quality, sub);
      const js = jpegRoundTripJs({ width, height, channels, data }, quality, { subsampling: sub }).data;
      const at = firstDifference(kernel, js);
      if (at >= 0 && failures.length < 10) failures.push(`${width}x${height}x${channels} ${sub} q${quality} ${smooth ? 'smooth' : 'noise'}: first difference at byte ${at}`);
    }
    expect(failures).toEqual([]);
  });

  it('streams images larger than one kernel call (every kind, odd sizes, 65500 wide) with the same pixels', () => {
    const rng = createRandom(7);
    const shapes: [number, number, 1 | 3, ChromaSubsampling][] = [
      [1203, 1167, 3, '4:2:0'], [1203, 1167, 3, '4:2:2'], [1203, 1167, 3, '4:4:4'], [2051, 2049, 1, '4:2:0'], [65500, 23, 3, '4:2:0'],
    ];
    for (const [width, height, channels, sub] of shapes) {
      expect(width * height * channels).toBeGreaterThan(WHOLE_IMAGE_BYTES);
      const data = content(rng, width, height, channels, true);
      for (let i = 0; i < data.length; i += 97) data[i] = rng.int(256); // some detail
      const quality = 1 + rng.int(100);
      const kernel = kernelRoundTrip(data, width, height, channels, quality, sub);
      const js = jpegRoundTripJs({ width, height, channels, data }, quality, { subsampling: sub }).data;
      expect(firstDifference(kernel, js), `${width}x${height}x${channels} ${sub} q${quality}`).toBe(-1);
    }
  });

  it('round-trips batches larger than one chunk image by image, and a range of a batch, as the JavaScript path', () => {
    const rng = createRandom(3);
    const count = 4500;
    const size = 32 * 32 * 3;
    expect(count * size).toBeGreaterThan(WHOLE_IMAGE_BYTES);
    const batch: ImageBatch = { count, width: 32, height: 32, channels: 3, data: new Uint8Array(count * size) };
    for (let i = 0; i < count; i++) batch.data.set(content(rng, 32, 32, 3, i % 2 === 0), i * size);
    const kernel = new Uint8Array(batch.data.length);
    const js = new Uint8Array(batch.data.length);
    expect(jpegRoundTripRangeWasm(batch.data, 32, 32, 3, jpegQuantizer(25), '4:2:0', kernel, 0, count)).toBe(true);
    jpegRoundTripRangeJs(batch, 25, {}, js, 0, count);
    expect(firstDifference(kernel, js)).toBe(-1);
    // a sub-range writes only its images
    const part = new Uint8Array(batch.data.length);
    jpegRoundTripRangeWasm(batch.data, 32, 32, 3, jpegQuantizer(25), '4:2:0', part, 10, 20);
    expect(firstDifference(part.subarray(10 * size, 20 * size), js.subarray(10 * size, 20 * size))).toBe(-1);
    expect(part.subarray(0, 10 * size).every((v) => v === 0)).toBe(true);
    expect(part.subarray(20 * size).every((v) => v === 0)).toBe(true);
  });

  it('keeps its memory bounded: repeated large calls do not grow it', () => {
    const data = new Uint8Array(65500 * 40 * 3).fill(99);
    kernelRoundTrip(data, 65500, 40, 3, 50, '4:2:0');
    kernelRoundTrip(new Uint8Array(1500 * 1500 * 3), 1500, 1500, 3, 50, '4:4:4');
    const after = jpegKernelMemoryBytes();
    expect(after).toBeLessThan(32 << 20);
    for (let i = 0; i < 3; i++) {
      kernelRoundTrip(data, 65500, 40, 3, 50, '4:2:0');
      kernelRoundTrip(new Uint8Array(1500 * 1500 * 3), 1500, 1500, 3, 50, '4:4:4');
    }
    expect(jpegKernelMemoryBytes()).toBe(after);
  });
});
