import { describe, expect, it } from 'vitest';
import { createComplexFft, createRealFft, rfft } from '../../src/audio/fft.js';
import { getWindow, hammingWindow, hannWindow } from '../../src/audio/window.js';

function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length, bins = (n >> 1) + 1;
  const re = new Float64Array(bins), im = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * ((k * t) % n)) / n;
      re[k] += x[t] * Math.cos(a);
      im[k] += x[t] * Math.sin(a);
    }
  }
  return { re, im };
}

describe('real FFT', () => {
  for (const n of [1, 2, 3, 4, 5, 8, 12, 30, 64, 100, 400, 511, 512, 1000, 2048]) {
    it(`size ${n} matches the DFT`, () => {
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) + ((i % 7) - 3) / 3);
      const ref = naiveDft(x);
      const { re, im } = rfft(x);
      let err = 0, mag = 1e-300;
      for (let k = 0; k < re.length; k++) {
        err = Math.max(err, Math.hypot(re[k] - ref.re[k], im[k] - ref.im[k]));
        mag = Math.max(mag, Math.hypot(ref.re[k], ref.im[k]));
      }
      expect(re.length).toBe((n >> 1) + 1);
      expect(err / mag).toBeLessThan(1e-11);
    });
  }
  it('reuses a plan and leaves its input alone', () => {
    const plan = createRealFft(8);
    const x = Float32Array.of(1, 2, 3, 4, 0, 0, 0, 0);
    const re = new Float64Array(5), im = new Float64Array(5);
    plan.forward(x, re, im);
    plan.forward(x, re, im);
    expect(re[0]).toBe(10);
    expect(Array.from(x)).toEqual([1, 2, 3, 4, 0, 0, 0, 0]);
  });
  it('complex plan inverts', () => {
    const fft = createComplexFft(64);
    const re = Float64Array.from({ length: 64 }, (_, i) => Math.cos(i)), im = Float64Array.from({ length: 64 }, (_, i) => i % 3);
    const r0 = re.slice(), i0 = im.slice();
    fft.forward(re, im);
    fft.inverse(re, im);
    for (let i = 0; i < 64; i++) {
      expect(re[i]).toBeCloseTo(r0[i], 12);
      expect(im[i]).toBeCloseTo(i0[i], 12);
    }
  });
  it('rejects bad sizes', () => {
    expect(() => createComplexFft(12)).toThrow(/power of two.*12/);
    expect(() => createRealFft(0)).toThrow(RangeError);
  });
});

describe('windows', () => {
  it('periodic Hann and Hamming as scipy get_window(..., fftbins=True)', () => {
    expect(Array.from(hannWindow(4)).map((v) => +v.toFixed(12))).toEqual([0, 0.5, 1, 0.5]);
    expect(Array.from(hannWindow(5, false)).map((v) => +v.toFixed(12))).toEqual([0, 0.5, 1, 0.5, 0]);
    expect(Array.from(hammingWindow(4)).map((v) => +v.toFixed(12))).toEqual([0.08, 0.54, 1, 0.54]);
  });
  it('centres a short window in the frame as librosa.util.pad_center', () => {
    expect(Array.from(getWindow('hann', 4, 8)).map((v) => +v.toFixed(12))).toEqual([0, 0, 0, 0.5, 1, 0.5, 0, 0]);
    expect(Array.from(getWindow('rectangular', 3, 6))).toEqual([0, 1, 1, 1, 0, 0]);
    expect(() => getWindow('hann', 9, 8)).toThrow(/winLength.*9/);
    expect(() => getWindow([1, 2], 3, 8)).toThrow(/winLength/);
  });
});
