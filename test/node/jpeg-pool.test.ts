import { describe, expect, it } from 'vitest';
import { jpegRoundTripBatch, type ImageBatch } from '../../src/image/index.js';
import { jpegRoundTripBatchParallel } from '../../src/node/index.js';
import { createRandom } from '../../src/util/random.js';
import { loadJpegFixtures } from '../image/jpeg-fixtures.js';

/** Index of the first differing byte, -1 when equal (vitest's toEqual is slow on big arrays). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** `count` crops of size w x h from a fixture photo, at seeded positions. */
function cropBatch(count: number, w: number, h: number, channels: 1 | 3): ImageBatch {
  const { images } = loadJpegFixtures();
  const src = images.get(channels === 3 ? 'chelsea-160x120' : 'camera-33x31')!;
  const rng = createRandom(5);
  const size = w * h * channels;
  const data = new Uint8Array(count * size);
  for (let i = 0; i < count; i++) {
    const x0 = rng.int(src.width - w + 1);
    const y0 = rng.int(src.height - h + 1);
    for (let y = 0; y < h; y++) {
      data.set(src.data.subarray(((y0 + y) * src.width + x0) * channels, ((y0 + y) * src.width + x0 + w) * channels), i * size + y * w * channels);
    }
  }
  return { count, width: w, height: h, channels, data };
}

describe('jpegRoundTripBatchParallel (worker threads)', () => {
  it('gives exactly jpegRoundTripBatch, RGB 4:2:0 and 4:4:4, with 2 workers', async () => {
    const batch = cropBatch(300, 32, 32, 3);
    const before = batch.data.slice();
    for (const subsampling of ['4:2:0', '4:4:4'] as const) {
      const out = await jpegRoundTripBatchParallel(batch, 25, { workers: 2, subsampling });
      expect([out.count, out.width, out.height, out.channels]).toEqual([300, 32, 32, 3]);
      expect(out.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(firstDifference(out.data, jpegRoundTripBatch(batch, 25, { subsampling }).data)).toBe(-1);
    }
    expect(firstDifference(batch.data, before)).toBe(-1);
  });

  it("runs small batches in this thread with workers 'auto' (same pixels)", async () => {
    const batch = cropBatch(200, 16, 16, 3);
    const out = await jpegRoundTripBatchParallel(batch, 40);
    expect(out.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(firstDifference(out.data, jpegRoundTripBatch(batch, 40).data)).toBe(-1);
  });

  it('handles grayscale, odd sizes, one worker (this thread) and shared input', async () => {
    const gray = cropBatch(130, 13, 7, 1);
    const shared = new Uint8Array(new SharedArrayBuffer(gray.data.length));
    shared.set(gray.data);
    const out = await jpegRoundTripBatchParallel({ ...gray, data: shared }, 60, { workers: 1 });
    expect(firstDifference(out.data, jpegRoundTripBatch(gray, 60).data)).toBe(-1);
  });

  it('returns an empty batch without starting workers', async () => {
    const out = await jpegRoundTripBatchParallel({ count: 0, width: 4, height: 4, channels: 3, data: new Uint8Array(0) }, 50);
    expect(out.count).toBe(0);
    expect(out.data.length).toBe(0);
  });

  it('checks its arguments before starting workers', async () => {
    const batch = cropBatch(2, 8, 8, 3);
    await expect(jpegRoundTripBatchParallel(batch, 0)).rejects.toThrow(/quality must be an integer in 1\.\.100, got 0/);
    await expect(jpegRoundTripBatchParallel(batch, 50, { workers: 0 })).rejects.toThrow(/options\.workers must be "auto" or an integer in 1\.\.1024, got 0/);
    await expect(jpegRoundTripBatchParallel(batch, 50, { subsampling: '4:1:1' as '4:2:0' })).rejects.toThrow(/options\.subsampling/);
    await expect(jpegRoundTripBatchParallel({ ...batch, data: new Uint8Array(5) }, 50)).rejects.toThrow(RangeError);
  });
});
