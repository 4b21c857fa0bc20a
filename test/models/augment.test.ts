import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentBatch, augmentTransforms } from '../../src/models/augment.js';
import { createRandom } from '../../src/util/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const clamp = (v: number, n: number): number => Math.min(n - 1, Math.max(0, v));

describe('augmentTransforms', () => {
  it('draws shifts within 10% of each side and flips about half the images', () => {
    const n = 2000;
    const t = augmentTransforms(n, 30, 50, createRandom(3));
    let flips = 0;
    for (let i = 0; i < n; i++) {
      const [a0, , a2, , b1, b2] = t.subarray(i * 8, i * 8 + 6);
      expect(b1).toBe(1);
      expect(Math.abs(b2)).toBeLessThanOrEqual(3);
      const dx = a0 === 1 ? a2 : a2 - 49;
      expect(Math.abs(dx)).toBeLessThanOrEqual(5);
      if (a0 === -1) flips++;
    }
    expect(flips / n).toBeGreaterThan(0.45);
    expect(flips / n).toBeLessThan(0.55);
  });

  it('honours the options', () => {
    const t = augmentTransforms(50, 10, 10, createRandom(1), { widthShift: 0, heightShift: 0, horizontalFlip: false });
    for (let i = 0; i < 50; i++) expect(Array.from(t.subarray(i * 8, i * 8 + 8))).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
    expect(() => augmentTransforms(1, 4, 4, createRandom(1), { widthShift: 2 })).toThrow(/widthShift/);
  });
});

describe('augmentBatch', () => {
  it('shifts with nearest-neighbour sampling and nearest fill, then flips, as Keras', () => {
    const [n, h, w, c] = [6, 7, 9, 2];
    const data = Float32Array.from({ length: n * h * w * c }, (_, i) => i);
    const images = tf.tensor4d(data, [n, h, w, c]);
    const options = { widthShift: 0.3, heightShift: 0.3 };
    const out = augmentBatch(images, options, createRandom(11));
    const t = augmentTransforms(n, h, w, createRandom(11), options);
    const got = out.dataSync();
    for (let b = 0; b < n; b++) {
      const [a0, , a2, , , b2] = t.subarray(b * 8, b * 8 + 6);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const sy = clamp(Math.round(y + b2), h);
          const sx = clamp(Math.round(a0 * x + a2), w);
          for (let k = 0; k < c; k++) {
            expect(got[((b * h + y) * w + x) * c + k]).toBe(data[((b * h + sy) * w + sx) * c + k]);
          }
        }
      }
    }
    tf.dispose([images, out]);
  });

  it('is seeded, leaves its input alone and leaks nothing', () => {
    const start = tf.memory().numTensors;
    const images = tf.tidy(() => tf.randomUniform([8, 12, 12, 3], 0, 1, 'float32', 5) as tf.Tensor4D);
    const before = images.dataSync().slice();
    const a = augmentBatch(images, {}, 42);
    const b = augmentBatch(images, {}, 42);
    const c = augmentBatch(images, {}, 43);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    expect(Array.from(images.dataSync())).toEqual(Array.from(before));
    tf.dispose([images, a, b, c]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('rejects a tensor of the wrong rank', () => {
    const x = tf.zeros([4, 4, 1]);
    expect(() => augmentBatch(x as unknown as tf.Tensor4D)).toThrow(/rank-4/);
    x.dispose();
  });
});
