import { describe, expect, it } from 'vitest';
import { createWorkerPool, shareDataset, shareImages, unshareImages, type SharedImageDataset } from '../../src/node/parallel.js';
import type { ImageDataset } from '../../src/noise/types.js';

const image = (v: number) => ({ width: 2, height: 1, channels: 1 as const, data: new Uint8Array([v, v + 1]) });
const data: ImageDataset = {
  train: { images: [image(1), image(2), image(3)], labels: [0, 1, 0] },
  test: { images: [image(10), image(20)], labels: [1, 0] },
};

describe('shared datasets', () => {
  it('round-trips images through shared memory', () => {
    const shared = shareImages(data.train);
    expect(shared.pixels.buffer).toBeInstanceOf(SharedArrayBuffer);
    const back = unshareImages(shared);
    expect(back.labels).toEqual([0, 1, 0]);
    expect(back.images.map((im) => Array.from(im.data))).toEqual([[1, 2], [2, 3], [3, 4]]);
    expect(() => shareImages({ images: [image(1), { ...image(2), width: 1, data: new Uint8Array(1) }], labels: [0, 1] })).toThrow(
      /images\[1\] is 1x1x1, expected 2x1x1/,
    );
    expect(() => shareImages({ images: [], labels: [] })).toThrow(/at least one image/);
  });
});

describe('worker pool (workers load the TypeScript source through tsx)', () => {
  it('runs jobs on workers that see the shared dataset without copies, forwarding messages and errors', async () => {
    const shared = shareDataset(data);
    const pool = createWorkerPool<{ data: SharedImageDataset }, { fail?: string; touch?: number }, { train: number; sum: number }>({
      task: '__data',
      init: { data: shared },
      size: 2,
    });
    try {
      const messages: unknown[] = [];
      const r = await pool.run({ touch: 77 }, { onMessage: (m) => messages.push(m) });
      expect(r).toEqual({ train: 3, sum: 10 + 11 + 20 + 21 });
      expect(messages).toEqual([{ progress: 3 }]);
      expect(shared.train.pixels[0]).toBe(77); // written by the worker: the memory is shared
      await expect(pool.run({ fail: 'bad level 0, expected 1..100' })).rejects.toThrow(RangeError);
      await expect(pool.run({ fail: 'bad level 0, expected 1..100' })).rejects.toThrow(/bad level 0/);
    } finally {
      await pool.close();
    }
  });

  it('runs jobs concurrently on separate threads and aborts a running job', async () => {
    const pool = createWorkerPool<{ scale: number }, { ms: number }, { threadId: number; spins: number }>({ task: '__spin', init: { scale: 1 }, size: 2 });
    try {
      await pool.run({ ms: 1 });
      const results = await Promise.all([pool.run({ ms: 50 }), pool.run({ ms: 50 }), pool.run({ ms: 50 }), pool.run({ ms: 50 })]);
      expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
      const controller = new AbortController();
      const running = pool.run({ ms: 60_000 }, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('stopped by the test')), 100);
      await expect(running).rejects.toThrow('stopped by the test');
      // The pool replaces the terminated worker.
      expect((await pool.run({ ms: 1 })).spins).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
    await expect(pool.run({ ms: 1 })).rejects.toThrow(/closed/);
  });

  it('rejects unknown tasks', () => {
    expect(() => createWorkerPool({ task: 'nope', init: {} })).toThrow(/registered worker task/);
  });
});
