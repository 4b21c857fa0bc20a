import { describe, expect, it } from 'vitest';
import { resample } from '../../src/audio/resample.js';

function sine(n: number, rate: number, freq: number, phase = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin((2 * Math.PI * freq * i) / rate + phase);
  return out;
}

/** Largest |a - b| over the middle of the signals (away from the zero-padded edges). */
function maxErrorMiddle(a: Float32Array, b: Float32Array, margin: number): number {
  let worst = 0;
  for (let i = margin; i < a.length - margin; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
}

describe('resample', () => {
  it('returns a copy when the rates are equal', () => {
    const x = sine(100, 8000, 440);
    const y = resample(x, 8000, 8000);
    expect(y).not.toBe(x);
    expect(Array.from(y)).toEqual(Array.from(x));
    expect(resample(x, 8000, 8000, { length: 120 }).length).toBe(120);
  });

  it('has the default length ceil(n * to / from) and honours options.length', () => {
    const x = sine(1001, 44100, 440);
    expect(resample(x, 44100, 8000).length).toBe(Math.ceil((1001 * 8000) / 44100));
    expect(resample(x, 44100, 16000, { length: 17 }).length).toBe(17);
  });

  it.each([
    [44100, 8000, 1000],
    [44100, 16000, 3000],
    [44100, 22050, 7000],
    [8000, 44100, 1000],
    [16000, 44100, 3000],
    [22050, 44100, 5000],
    [48000, 44100, 10000],
    [44100, 44101, 2000], // 44101 phases: the per-sample (untabled) path
  ])('is zero-phase and accurate: %i -> %i Hz on a %i Hz sine', (from, to, freq) => {
    const seconds = 0.25;
    const x = sine(Math.round(from * seconds), from, freq, 0.3);
    const y = resample(x, from, to);
    const expected = sine(y.length, to, freq, 0.3);
    // Within the passband the output is the same sine sampled at the new instants: no delay.
    expect(maxErrorMiddle(y, expected, Math.ceil(to * 0.01))).toBeLessThan(2e-3);
  });

  it('round trips a band-limited signal (44.1 kHz -> 16 kHz -> 44.1 kHz) with SNR above 60 dB', () => {
    const n = 22050;
    const x = new Float32Array(n);
    for (const [f, a] of [[220, 0.5], [1330, 0.3], [4100, 0.2]] as const) {
      const s = sine(n, 44100, f, f / 1000);
      for (let i = 0; i < n; i++) x[i] += a * s[i];
    }
    const y = resample(resample(x, 44100, 16000), 16000, 44100, { length: n });
    const margin = 2000;
    const err = new Float32Array(n);
    for (let i = 0; i < n; i++) err[i] = x[i] - y[i];
    const snr = 20 * Math.log10(rms(x, margin, n - margin) / rms(err, margin, n - margin));
    expect(snr).toBeGreaterThan(60);
  });

  it('removes content above the new Nyquist frequency when downsampling', () => {
    const x = sine(44100, 44100, 10000);
    const y = resample(x, 44100, 16000);
    expect(rms(y, 1000, y.length - 1000)).toBeLessThan(1e-4); // > 80 dB below the input's 0.707
  });

  it('keeps an impulse centred (linear phase, no lag)', () => {
    const x = new Float32Array(2000);
    x[1000] = 1;
    const y = resample(x, 8000, 44100); // sample 1000 at 8 kHz sits at 5512.5 at 44.1 kHz
    let peak = 0;
    for (let i = 1; i < y.length; i++) if (Math.abs(y[i]) > Math.abs(y[peak])) peak = i;
    expect(Math.abs(peak - (1000 * 44100) / 8000)).toBeLessThanOrEqual(0.5);
    // Symmetric around the true instant.
    expect(y[5512 - 20]).toBeCloseTo(y[5513 + 20], 5);
  });

  it('rejects bad arguments with RangeError/TypeError naming the value', () => {
    const x = sine(10, 8000, 440);
    expect(() => resample(new Float32Array(0), 8000, 16000)).toThrow(/empty/);
    expect(() => resample(Float32Array.of(0, Number.NaN), 8000, 16000)).toThrow(RangeError);
    expect(() => resample(Float32Array.of(0, Number.NaN), 8000, 16000)).toThrow(/NaN at index 1/);
    expect(() => resample(x, 0, 16000)).toThrow(/fromRate.*got 0/);
    expect(() => resample(x, 8000, 441.5)).toThrow(/toRate.*441\.5/);
    expect(() => resample(x, -8000, 16000)).toThrow(RangeError);
    expect(() => resample(x, 8000, 16000, { rolloff: 1.5 })).toThrow(/rolloff/);
    expect(() => resample(x, 8000, 16000, { length: -1 })).toThrow(/length/);
    expect(() => resample([1, 2] as unknown as Float32Array, 8000, 16000)).toThrow(TypeError);
  });
});
