import { describe, expect, it } from 'vitest';
import { createWorkerPool } from '../../src/node/parallel.js';
import { dataFingerprint, shareData } from '../../src/node/share.js';
import { POOL_TASKS_ENTRY } from './pool-tasks.js';
import type { ImageDataset } from '../../src/noise/types.js';

const image = (v: number) => ({ width: 2, height: 1, channels: 1 as const, data: new Uint8Array([v, v + 1]) });
const data: ImageDataset = {
  train: { images: [image(1), image(2), image(3)], labels: [0, 1, 0] },
  test: { images: [image(10), image(20)], labels: [1, 0] },
};

describe('shared data', () => {
  it('moves every typed array onto shared memory, one buffer per array of typed arrays, values intact', () => {
    const shared = shareData(data);
    const pixels = shared.train.images.map((im) => im.data);
    expect(pixels.every((p) => p.buffer instanceof SharedArrayBuffer)).toBe(true);
    expect(shared.train.images.map((im) => Array.from(im.data))).toEqual([[1, 2], [2, 3], [3, 4]]);
    expect(shared.train.labels).toEqual([0, 1, 0]);
    const clips = shareData({ signals: [new Float32Array([1, 2]), new Float32Array([3])], sampleRate: 8000 });
    expect(clips.signals[0].buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(clips.signals[0].buffer).toBe(clips.signals[1].buffer);
    expect(clips.signals.map((s) => Array.from(s))).toEqual([[1, 2], [3]]);
    expect(dataFingerprint(data).sha256).toBe(dataFingerprint(shared).sha256);
  });
});

describe('worker pool (workers load the TypeScript source through tsx)', () => {
  it('runs jobs on workers that see the shared dataset without copies, forwarding messages and errors', async () => {
    const shared = shareData(data);
    const pool = createWorkerPool<{ data: ImageDataset }, { fail?: string; touch?: number }, { train: number; sum: number }>({
      task: '__data',
      entry: POOL_TASKS_ENTRY,
      init: { data: shared },
      size: 2,
    });
    try {
      const messages: unknown[] = [];
      const r = await pool.run({ touch: 77 }, { onMessage: (m) => messages.push(m) });
      expect(r).toEqual({ train: 3, sum: 10 + 11 + 20 + 21 });
      expect(messages).toEqual([{ progress: 3 }]);
      expect(shared.train.images[0].data[0]).toBe(77); // written by the worker: the memory is shared
      await expect(pool.run({ fail: 'bad level 0, expected 1..100' })).rejects.toThrow(RangeError);
      await expect(pool.run({ fail: 'bad level 0, expected 1..100' })).rejects.toThrow(/bad level 0/);
    } finally {
      await pool.close();
    }
  });

  it('runs jobs concurrently on separate threads and aborts a running job', async () => {
    const pool = createWorkerPool<{ scale: number }, { ms: number }, { threadId: number; spins: number }>({ task: '__spin', entry: POOL_TASKS_ENTRY, init: { scale: 1 }, size: 2 });
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
