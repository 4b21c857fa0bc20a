import { describe, expect, it } from 'vitest';
import { createMelSpectrogram, melSpectrogram, melSpectrogramBatch } from '../../src/audio/mel.js';
import { hzToMel, melFrequencies, melToHz } from '../../src/audio/mel-scale.js';
import { melFilterbank } from '../../src/audio/mel-filterbank.js';
import { amplitudeToDb, powerToDb } from '../../src/audio/db.js';
import type { MelSpectrogramOptions } from '../../src/audio/mel.js';
import { generatedCases, maxAbsoluteError, maxAbsoluteErrorWhere, maxRelativeError, melBases, powerFloor, sharedCases } from './librosa-fixtures.js';

const cases = [...sharedCases(), ...generatedCases()];

describe('melSpectrogram against librosa 0.10.0', () => {
  it('has the shared and the generated cases', () => {
    expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(['short', 'pluck', 'silence', 'speech_16k_whisper', 'one_sample_reflect']));
  });
  for (const c of cases) {
    it(`${c.name}: shape; double (js): mel within 1e-3 relative above 1e-6 of the max, dB within 0.01 dB; single (wasm): the same within 80 dB of the max power`, () => {
      const js = melSpectrogram(c.input, { ...c.options, engine: 'js' } as MelSpectrogramOptions);
      expect([js.nMels, js.nFrames]).toEqual(c.shape);
      expect(js.data.length).toBe(c.mel.length);
      expect(maxRelativeError(js.data, c.mel)).toBeLessThan(1e-3);
      expect(maxAbsoluteError(amplitudeToDb(js.data), c.ampDb)).toBeLessThan(0.01);
      expect(maxAbsoluteError(powerToDb(js.data), c.powDb)).toBeLessThan(0.01);
      // The WebAssembly engine (single precision, f32x4) wherever it applies.
      const S = melSpectrogram(c.input, c.options);
      expect([S.nMels, S.nFrames]).toEqual(c.shape);
      const power = c.options.power ?? 2;
      const floor = powerFloor(80, power);
      expect(maxRelativeError(S.data, c.mel, floor)).toBeLessThan(1e-3);
      let max = 0;
      for (const v of c.mel) max = Math.max(max, v);
      const loud = (i: number): boolean => c.mel[i] >= floor * max;
      expect(maxAbsoluteErrorWhere(amplitudeToDb(S.data), c.ampDb, loud)).toBeLessThan(0.01);
      expect(maxAbsoluteErrorWhere(powerToDb(S.data), c.powDb, loud)).toBeLessThan(0.01);
    });
  }
});

describe('melFilterbank', () => {
  for (const b of melBases()) {
    it(`matches librosa.filters.mel ${JSON.stringify(b.options)}`, () => {
      const w = melFilterbank(b.options);
      expect(w.length).toBe(b.shape[0] * b.shape[1]);
      let peak = 0;
      for (const v of b.weights) peak = Math.max(peak, v);
      expect(maxAbsoluteError(w, b.weights)).toBeLessThan(1e-6 * peak);
    });
  }
  it('uses the Slaney scale', () => {
    expect(hzToMel(1000)).toBeCloseTo(15, 12);
    expect(melToHz(hzToMel(4321))).toBeCloseTo(4321, 9);
    expect(melToHz(hzToMel(440, true), true)).toBeCloseTo(440, 9);
    const f = melFrequencies(5, 0, 8000);
    expect(f[0]).toBe(0);
    expect(f[4]).toBeCloseTo(8000, 9);
  });
});

describe('featurizer and batch', () => {
  const clipA = cases.find((c) => c.name === 'pluck')!;
  const b = new Float32Array(clipA.input.length);
  for (let i = 0; i < b.length; i++) b[i] = 0.5 * Math.sin(i * 0.05) * Math.exp(-i / 20000);

  it('batch equals one clip at a time, with dB per clip', () => {
    const opts = { sampleRate: 44100, nMels: 96, toDb: 'amplitude' as const };
    const batch = melSpectrogramBatch([clipA.input, b], opts);
    expect([batch.nClips, batch.nMels, batch.nFrames]).toEqual([2, 96, 173]);
    const size = 96 * 173;
    expect(maxAbsoluteError(batch.data.subarray(0, size), clipA.ampDb)).toBeLessThan(0.01);
    const single = amplitudeToDb(melSpectrogram(b, { sampleRate: 44100, nMels: 96 }).data);
    expect(maxAbsoluteError(batch.data.subarray(size), single)).toBeLessThan(1e-4);
  });

  it('converts to dB in the featurizer as amplitudeToDb / powerToDb, in both engines', () => {
    const power = melSpectrogram(clipA.input, { sampleRate: 44100, nMels: 96 }).data;
    for (const engine of ['auto', 'js'] as const) {
      const base = { sampleRate: 44100, nMels: 96, engine };
      const amp = createMelSpectrogram({ ...base, toDb: 'amplitude' }).compute(clipA.input).data;
      expect(maxAbsoluteError(amp, clipA.ampDb)).toBeLessThan(0.01);
      const pow = createMelSpectrogram({ ...base, toDb: 'power' }).compute(clipA.input).data;
      expect(maxAbsoluteError(pow, clipA.powDb)).toBeLessThan(0.01);
      const opts = { ref: 'max' as const, topDb: null, amin: 1e-6 };
      const rel = createMelSpectrogram({ ...base, toDb: 'power', dbOptions: opts }).compute(clipA.input).data;
      expect(maxAbsoluteError(rel, powerToDb(power, opts))).toBeLessThan(1e-3);
      const noClip = createMelSpectrogram({ ...base, toDb: 'amplitude', dbOptions: { topDb: null, ref: 2 } }).compute(clipA.input).data;
      expect(maxAbsoluteError(noClip, amplitudeToDb(power, { topDb: null, ref: 2 }))).toBeLessThan(1e-3);
    }
  });

  it('runs the frame loop in WebAssembly where it can, in JavaScript on request', () => {
    expect(createMelSpectrogram({ sampleRate: 44100 }).engine).toBe('wasm');
    expect(createMelSpectrogram({ sampleRate: 44100, engine: 'js' }).engine).toBe('js');
    expect(createMelSpectrogram({ sampleRate: 16000, nFft: 400 }).engine).toBe('js');
    expect(createMelSpectrogram({ sampleRate: 16000, power: 3 }).engine).toBe('js');
    // Two featurizers with different settings keep separate kernel memories.
    const a = createMelSpectrogram({ sampleRate: 44100, nMels: 96 });
    const b = createMelSpectrogram({ sampleRate: 22050, nFft: 512, hopLength: 128, nMels: 40 });
    const ra = Array.from(a.compute(clipA.input).data);
    b.compute(clipA.input);
    expect(Array.from(a.compute(clipA.input).data)).toEqual(ra);
  });

  it('gives the same result in both engines (single against double precision) for every FFT size and padding', () => {
    const y = new Float32Array(3001);
    for (let i = 0; i < y.length; i++) y[i] = Math.sin(i * 0.37) * Math.cos(i * 0.011) + ((i * 7919) % 13) / 50;
    for (const nFft of [8, 16, 32, 64, 128, 256, 1024, 4096]) {
      for (const padMode of ['constant', 'reflect'] as const) {
        for (const power of [1, 2]) {
          const o = { sampleRate: 16000, nFft, hopLength: Math.max(1, nFft >> 2), nMels: Math.min(20, nFft >> 1), padMode, power };
          const w = createMelSpectrogram(o), j = createMelSpectrogram({ ...o, engine: 'js' });
          expect(w.engine).toBe('wasm');
          const a = w.compute(y), b = j.compute(y);
          expect([a.nMels, a.nFrames]).toEqual([b.nMels, b.nFrames]);
          // single against double precision: 1e-4 relative within 60 dB of the maximum power (measured 1.4e-5)
          expect(maxRelativeError(a.data, b.data, powerFloor(60, power))).toBeLessThan(1e-4);
        }
      }
    }
  });

  it('streams long clips through the kernel in chunks (the JavaScript result, to single precision)', () => {
    const y = new Float32Array(70000);
    for (let i = 0; i < y.length; i++) y[i] = Math.sin(i * 0.2 + Math.sin(i * 0.001) * 30) * Math.exp(-i / 40000);
    for (const toDb of [null, 'amplitude'] as const) {
      const o = { sampleRate: 16000, nFft: 128, hopLength: 16, nMels: 24, toDb, padMode: 'reflect' as const };
      const w = createMelSpectrogram(o), j = createMelSpectrogram({ ...o, engine: 'js' });
      const a = w.compute(y), b = j.compute(y);
      expect(a.nFrames).toBe(4376);
      if (toDb === null) expect(maxRelativeError(a.data, b.data, powerFloor(60))).toBeLessThan(1e-4); // measured 4.1e-5
      else expect(maxAbsoluteError(a.data, b.data)).toBeLessThan(1e-4);
    }
  });

  it('reuses its plan and writes into a caller array', () => {
    const mel = createMelSpectrogram({ sampleRate: 44100, nMels: 96 });
    expect(mel.frameCount(88200)).toBe(173);
    expect(mel.filterbank.length).toBe(96 * 1025);
    const out = new Float32Array(10 + 96 * 173);
    const r = mel.compute(clipA.input, out, 10);
    expect(r.data.length).toBe(96 * 173);
    expect(maxRelativeError(out.subarray(10), clipA.mel)).toBeLessThan(1e-3);
    expect(Array.from(mel.compute(clipA.input).data)).toEqual(Array.from(r.data));
    expect(mel.options.nFft).toBe(2048);
    expect(mel.options.padMode).toBe('constant');
  });

  it('accepts Float64Array signals', () => {
    const s = melSpectrogram(Float64Array.from(clipA.input), { sampleRate: 44100, nMels: 96 });
    expect(maxRelativeError(s.data, clipA.mel)).toBeLessThan(1e-3);
  });
});

describe('bad input', () => {
  const y = new Float32Array(4096).fill(0.1);
  const bad: [string, () => unknown, RegExp][] = [
    ['NaN sample', () => melSpectrogram(Float32Array.of(0, NaN, 0), { sampleRate: 8000 }), /NaN at index 1/],
    ['Infinity sample', () => melSpectrogram(Float32Array.of(Infinity), { sampleRate: 8000 }), /Infinity/],
    ['empty', () => melSpectrogram(new Float32Array(0), { sampleRate: 8000 }), /empty/],
    ['sampleRate 0', () => melSpectrogram(y, { sampleRate: 0 }), /sampleRate.*0/],
    ['sampleRate -1', () => melSpectrogram(y, { sampleRate: -1 }), /sampleRate.*-1/],
    ['sampleRate 44100.5', () => melSpectrogram(y, { sampleRate: 44100.5 }), /sampleRate.*44100.5/],
    ['nFft 1', () => melSpectrogram(y, { sampleRate: 8000, nFft: 1 }), /nFft.*1/],
    ['nFft 2.5', () => melSpectrogram(y, { sampleRate: 8000, nFft: 2.5 }), /nFft.*2.5/],
    ['hopLength 0', () => melSpectrogram(y, { sampleRate: 8000, hopLength: 0 }), /hopLength.*0/],
    ['nMels 0', () => melSpectrogram(y, { sampleRate: 8000, nMels: 0 }), /nMels.*0/],
    ['fMax > sr/2', () => melSpectrogram(y, { sampleRate: 8000, fMax: 4001 }), /fMax.*4001/],
    ['fMin < 0', () => melSpectrogram(y, { sampleRate: 8000, fMin: -1 }), /fMin.*-1/],
    ['fMin >= fMax', () => melSpectrogram(y, { sampleRate: 8000, fMin: 3000, fMax: 3000 }), /fMin.*3000/],
    ['winLength > nFft', () => melSpectrogram(y, { sampleRate: 8000, nFft: 512, winLength: 600 }), /winLength.*600/],
    ['padMode', () => melSpectrogram(y, { sampleRate: 8000, padMode: 'wrap' as 'reflect' }), /padMode.*wrap/],
    ['power 0', () => melSpectrogram(y, { sampleRate: 8000, power: 0 }), /power.*0/],
    ['uncentred short clip', () => melSpectrogram(new Float32Array(100), { sampleRate: 8000, nFft: 512, center: false }), /nFft/],
    ['filterbank fMax', () => melFilterbank({ sampleRate: 16000, fMax: 9000 }), /fMax.*9000/],
    ['batch lengths differ', () => melSpectrogramBatch([y, y.subarray(1)], { sampleRate: 8000 }), /signals\[1\]/],
    ['batch empty', () => melSpectrogramBatch([], { sampleRate: 8000 }), /signals/],
  ];
  for (const [name, f, message] of bad) {
    it(`${name}: RangeError naming the value`, () => {
      expect(f).toThrow(RangeError);
      expect(f).toThrow(message);
    });
  }
});
