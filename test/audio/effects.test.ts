import { describe, expect, it } from 'vitest';
import { applyGuitarEffect, GUITAR_EFFECTS, randomEffectParameters } from '../../src/audio/effects.js';
import { pluckedString } from '../../src/audio/pluck.js';
import { createRandom } from '../../src/util/random.js';

const fs = 44100;
const impulse = (n: number, at = 0): Float32Array => {
  const x = new Float32Array(n);
  x[at] = 1;
  return x;
};
const sine = (f: number, n: number, amp = 0.5): Float32Array => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * f * i) / fs));
const rms = (x: Float32Array, from = 0, to = x.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, to - from));
};
/** Amplitude of frequency f in x (single-bin DFT over whole periods). */
const toneAmplitude = (x: Float32Array, f: number, from: number, to: number): number => {
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    re += x[i] * Math.cos((2 * Math.PI * f * i) / fs);
    im += x[i] * Math.sin((2 * Math.PI * f * i) / fs);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
};

describe('applyGuitarEffect', () => {
  it('NoFX returns a copy of the input', () => {
    const x = sine(440, 1000);
    const y = applyGuitarEffect(x, fs, { effect: 'NoFX' });
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
  });

  it('Tremolo modulates the envelope at its rate and depth', () => {
    const rate = 5;
    const y = applyGuitarEffect(new Float32Array(fs).fill(1), fs, { effect: 'Tremolo', rateHz: rate, depth: 0.8 });
    expect(Math.min(...y)).toBeCloseTo(0.2, 3);
    expect(Math.max(...y)).toBeCloseTo(1, 3);
    // count envelope minima in one second: one per period
    let minima = 0;
    for (let i = 1; i < y.length - 1; i++) if (y[i] < y[i - 1] && y[i] <= y[i + 1]) minima++;
    expect(minima).toBe(rate);
  });

  it('FeedbackDelay repeats at its delay time, decaying by the feedback', () => {
    const y = applyGuitarEffect(impulse(fs), fs, { effect: 'FeedbackDelay', delayMs: 200, feedback: 0.5, mix: 0.5 });
    const D = Math.round(0.2 * fs);
    expect(y[0]).toBeCloseTo(0.5, 6);
    expect(y[D]).toBeCloseTo(0.5, 6);
    expect(y[2 * D]).toBeCloseTo(0.25, 6);
    expect(y[3 * D]).toBeCloseTo(0.125, 6);
    const others = Array.from(y).filter((v, i) => i % D !== 0 && v !== 0);
    expect(others).toHaveLength(0);
  });

  it('SlapbackDelay is a single echo at its delay time', () => {
    const y = applyGuitarEffect(impulse(fs), fs, { effect: 'SlapbackDelay', delayMs: 90, level: 0.6 });
    const D = Math.round(0.09 * fs);
    expect(y[0]).toBe(1);
    expect(y[D]).toBeCloseTo(0.6, 6);
    expect(y[2 * D]).toBe(0);
  });

  it('Chorus and Flanger echo with a delay that swings within delay +- depth', () => {
    for (const params of [
      { effect: 'Chorus' as const, delayMs: 20, depthMs: 4, rateHz: 1.3, mix: 0.5 },
      { effect: 'Flanger' as const, delayMs: 3, depthMs: 2, rateHz: 0.7, feedback: 0, mix: 0.5 },
    ]) {
      const seen: number[] = [];
      for (let k = 0; k < 8; k++) {
        const at = Math.round((0.05 + 0.11 * k) * fs);
        const y = applyGuitarEffect(impulse(fs, at), fs, params);
        // centroid of the wet response after the dry impulse
        let w = 0;
        let m = 0;
        for (let i = at + 1; i < at + 0.05 * fs; i++) {
          w += Math.abs(y[i]);
          m += Math.abs(y[i]) * (i - at);
        }
        seen.push(((m / w) * 1000) / fs);
      }
      for (const d of seen) {
        expect(d).toBeGreaterThanOrEqual(params.delayMs - params.depthMs - 0.05);
        expect(d).toBeLessThanOrEqual(params.delayMs + params.depthMs + 0.05);
      }
      expect(Math.max(...seen) - Math.min(...seen)).toBeGreaterThan(params.depthMs * 0.5);
    }
  });

  it('Flanger feedback makes repeated echoes', () => {
    const D = 100;
    const y = applyGuitarEffect(impulse(fs), fs, { effect: 'Flanger', delayMs: (D * 1000) / fs, depthMs: 0, rateHz: 0.5, feedback: 0.7, mix: 0.5 });
    // echoes at D, 2D, 3D of mix * feedback^(k-1)
    expect(y[D]).toBeCloseTo(0.5, 4);
    expect(y[2 * D]).toBeCloseTo(0.35, 4);
    expect(y[3 * D]).toBeCloseTo(0.245, 4);
  });

  it('Vibrato modulates the pitch at its rate', () => {
    const f0 = 440;
    const rate = 6;
    const depthMs = 1.5;
    const y = applyGuitarEffect(sine(f0, fs), fs, { effect: 'Vibrato', rateHz: rate, depthMs });
    // instantaneous frequency from zero-crossing intervals
    const crossings: number[] = [];
    for (let i = 1; i < y.length; i++) if (y[i - 1] < 0 && y[i] >= 0) crossings.push(i - y[i] / (y[i] - y[i - 1]));
    const freqs = crossings.slice(1).map((c, i) => fs / (c - crossings[i]));
    const settled = freqs.slice(20);
    const maxDev = Math.max(...settled.map((f) => Math.abs(f - f0)));
    // a delay swinging by depth at rate shifts the frequency by up to f0 * 2 pi rate depth
    const expected = f0 * 2 * Math.PI * rate * (depthMs / 1000);
    expect(maxDev).toBeGreaterThan(0.7 * expected);
    expect(maxDev).toBeLessThan(1.3 * expected);
  });

  it('EQ boosts or cuts its center frequency by its gain and leaves far bands alone', () => {
    for (const gainDb of [12, -12]) {
      const params = { effect: 'EQ' as const, centerHz: 1000, gainDb, q: 1 };
      const at = applyGuitarEffect(sine(1000, fs), fs, params);
      const far = applyGuitarEffect(sine(60, fs), fs, params);
      const gainAt = 20 * Math.log10(toneAmplitude(at, 1000, fs / 2, fs) / 0.5);
      const gainFar = 20 * Math.log10(toneAmplitude(far, 60, fs / 2, fs) / 0.5);
      expect(gainAt).toBeCloseTo(gainDb, 1);
      expect(Math.abs(gainFar)).toBeLessThan(0.5);
    }
  });

  it('Distortion clips hard (strong odd harmonics); Overdrive adds even harmonics too', () => {
    const x = sine(220, fs);
    const dist = applyGuitarEffect(x, fs, { effect: 'Distortion', gainDb: 30, toneHz: 8000 });
    const over = applyGuitarEffect(x, fs, { effect: 'Overdrive', gainDb: 12, asymmetry: 0.3 });
    const h = (y: Float32Array, k: number): number => toneAmplitude(y, 220 * k, fs / 4, fs);
    expect(h(dist, 3) / h(dist, 1)).toBeGreaterThan(0.2);
    expect(h(over, 2) / h(over, 1)).toBeGreaterThan(0.02);
    expect(h(x, 3) / h(x, 1)).toBeLessThan(1e-3);
  });

  it('Phaser sweeps notches through the spectrum over time', () => {
    const y = applyGuitarEffect(sine(800, fs), fs, { effect: 'Phaser', minHz: 300, maxHz: 3000, rateHz: 1, feedback: 0.4, stages: 4 });
    const levels = Array.from({ length: 20 }, (_, k) => rms(y, k * 2205, (k + 1) * 2205));
    expect(Math.max(...levels) / Math.min(...levels)).toBeGreaterThan(2);
  });

  it('Reverb leaves a dense, decaying tail long after the sound', () => {
    const y = applyGuitarEffect(impulse(fs), fs, { effect: 'Reverb', roomSize: 0.85, damping: 0.3, mix: 0.5 });
    const early = rms(y, Math.round(0.05 * fs), Math.round(0.25 * fs));
    const late = rms(y, Math.round(0.5 * fs), Math.round(0.7 * fs));
    expect(early).toBeGreaterThan(0);
    expect(late).toBeGreaterThan(0);
    expect(late).toBeLessThan(early);
    const nonzero = Array.from(y.subarray(Math.round(0.1 * fs), Math.round(0.2 * fs))).filter((v) => Math.abs(v) > 1e-6).length;
    expect(nonzero).toBeGreaterThan(0.5 * 0.1 * fs);
  });

  it('every effect keeps the length and stays finite on a real note', () => {
    const note = pluckedString({ frequency: 147, duration: 0.5, seed: 2 });
    const random = createRandom(3);
    for (const effect of GUITAR_EFFECTS) {
      const y = applyGuitarEffect(note, fs, randomEffectParameters(effect, random));
      expect(y.length).toBe(note.length);
      expect(y.every(Number.isFinite)).toBe(true);
    }
  });

  it('rejects bad input naming it', () => {
    expect(() => applyGuitarEffect(new Float32Array([0, Number.NaN]), fs, { effect: 'NoFX' })).toThrow(/signal.*NaN at index 1/);
    expect(() => applyGuitarEffect(new Float32Array(4), 0, { effect: 'NoFX' })).toThrow(/sampleRate/);
    expect(() => applyGuitarEffect(new Float32Array(4), fs, { effect: 'Wah' } as never)).toThrow(/params.effect must be one of/);
  });
});

describe('pluckedString', () => {
  it('sounds at its pitch and decays', () => {
    const f = 196;
    const x = pluckedString({ frequency: f, duration: 1, seed: 1 });
    expect(x.length).toBe(fs);
    const fundamental = toneAmplitude(x, f, 0, fs / 2);
    const offPitch = toneAmplitude(x, f * 1.06, 0, fs / 2);
    expect(fundamental).toBeGreaterThan(5 * offPitch);
    expect(rms(x, 0, 4410)).toBeGreaterThan(3 * rms(x, fs - 4410, fs));
    expect(Math.max(...Array.from(x).map(Math.abs))).toBeCloseTo(0.8, 5);
  });
  it('rejects out-of-range pitches', () => {
    expect(() => pluckedString({ frequency: 5, duration: 1 })).toThrow(/frequency/);
  });
});
