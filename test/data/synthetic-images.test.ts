import { describe, expect, it } from 'vitest';
import { SYNTHETIC_IMAGE_CLASSES, syntheticSensorImages } from '../../src/data/synthetic-images.js';

const mean = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
};

describe('syntheticSensorImages', () => {
  it('renders balanced, reproducible, 8-bit labeled images', () => {
    const a = syntheticSensorImages({ count: 40, size: 16, seed: 5, noise: 4 });
    const b = syntheticSensorImages({ count: 40, size: 16, seed: 5, noise: 4 });
    expect(a.images).toHaveLength(40);
    expect(a.images[0]).toMatchObject({ width: 16, height: 16, channels: 3 });
    expect(a.images[0].data).toBeInstanceOf(Uint8Array);
    expect(a.labels).toEqual(b.labels);
    expect(a.images[7].data).toEqual(b.images[7].data);
    for (let c = 0; c < 10; c++) expect(a.labels.filter((l) => l === c)).toHaveLength(4);
    const gray = syntheticSensorImages({ count: 3, size: 8, channels: 1, classes: 12 });
    expect(gray.images[0].data).toHaveLength(64);
    expect(SYNTHETIC_IMAGE_CLASSES).toHaveLength(12);
  });

  it('adds noise of the stated strength: shot noise grows with the signal, read noise does not', () => {
    const clean = syntheticSensorImages({ count: 30, size: 32, seed: 9, noise: 0 });
    const sigma = (noise: { shot: number; read: number }, lo: number, hi: number): number => {
      const noisy = syntheticSensorImages({ count: 30, size: 32, seed: 9, noise });
      let s = 0;
      let n = 0;
      clean.images.forEach((im, k) => {
        for (let i = 0; i < im.data.length; i++) {
          const v = im.data[i];
          if (v < lo || v > hi) continue;
          const d = noisy.images[k].data[i] - v;
          s += d * d;
          n++;
        }
      });
      return Math.sqrt(s / n);
    };
    // read noise: ~10 DN everywhere (away from clipping)
    expect(sigma({ shot: 0, read: 10 }, 60, 90)).toBeGreaterThan(9.3);
    expect(sigma({ shot: 0, read: 10 }, 60, 90)).toBeLessThan(10.7);
    expect(sigma({ shot: 0, read: 10 }, 160, 200)).toBeGreaterThan(9.3);
    // shot noise: 10 DN at mid-gray, sqrt(signal) scaling
    const mid = sigma({ shot: 10, read: 0 }, 120, 135);
    expect(mid).toBeGreaterThan(9.3);
    expect(mid).toBeLessThan(10.8);
    const dark = sigma({ shot: 10, read: 0 }, 40, 50);
    expect(dark / mid).toBeGreaterThan(0.5);
    expect(dark / mid).toBeLessThan(0.7); // sqrt(45 / 127.5) = 0.59
    // a number splits the variance evenly: total sigma at mid-gray = noise
    const total = sigma({ shot: 12 / Math.SQRT2, read: 12 / Math.SQRT2 }, 120, 135);
    expect(total).toBeGreaterThan(11);
    expect(total).toBeLessThan(13);
  });

  it('is not separable by mean color: per-class mean brightness overlaps', () => {
    const { images, labels } = syntheticSensorImages({ count: 600, size: 16, seed: 2 });
    const byClass = new Map<number, number[]>();
    images.forEach((im, i) => byClass.set(labels[i], [...(byClass.get(labels[i]) ?? []), mean(im.data)]));
    const classMeans = [...byClass.values()].map(mean);
    const spreadBetween = Math.max(...classMeans) - Math.min(...classMeans);
    const within = [...byClass.values()].map((v) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2))));
    // class means differ far less than brightness varies within any class
    expect(spreadBetween).toBeLessThan(0.5 * Math.min(...within));
  });

  it('rejects bad options', () => {
    expect(() => syntheticSensorImages({ count: 0 })).toThrow(/count/);
    expect(() => syntheticSensorImages({ count: 1, classes: 13 })).toThrow(/classes/);
    expect(() => syntheticSensorImages({ count: 1, noise: -1 })).toThrow(/noise/);
    expect(() => syntheticSensorImages({ count: 1, channels: 2 as 3 })).toThrow(/channels/);
  });
});
