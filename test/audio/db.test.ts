import { describe, expect, it } from 'vitest';
import { amplitudeToDb, powerToDb } from '../../src/audio/db.js';
import { maxAbsoluteError, sharedCases } from './librosa-fixtures.js';

describe('powerToDb / amplitudeToDb', () => {
  it('match librosa on the shared fixtures (fed librosa\'s own mel)', () => {
    for (const c of sharedCases()) {
      expect(maxAbsoluteError(powerToDb(c.mel), c.powDb)).toBeLessThan(0.01);
      expect(maxAbsoluteError(amplitudeToDb(c.mel), c.ampDb)).toBeLessThan(0.01);
    }
  });

  it('follow librosa\'s formulas and defaults', () => {
    const x = Float32Array.of(100, 1, 0.1, 0);
    expect(Array.from(powerToDb(x))).toEqual([20, 0, -10, -60].map(Math.fround));
    expect(Array.from(powerToDb(x, { topDb: null }))).toEqual([20, 0, -10, -100].map(Math.fround));
    expect(Array.from(amplitudeToDb(x))).toEqual([40, 0, -20, -40].map(Math.fround));
    expect(Array.from(amplitudeToDb(x, { topDb: null }))).toEqual([40, 0, -20, -100].map(Math.fround));
    expect(Array.from(powerToDb(x, { ref: 'max', topDb: null, amin: 1e-3 }))).toEqual([0, -20, -30, -50].map(Math.fround));
    expect(Array.from(amplitudeToDb(x, { ref: (v) => Math.max(...v) }))).toEqual([0, -40, -60, -80].map(Math.fround));
    // ref is taken in absolute value, and amin also floors ref.
    expect(powerToDb(x, { ref: -10 })[0]).toBeCloseTo(10, 5);
    expect(powerToDb(Float32Array.of(1), { ref: 0 })[0]).toBeCloseTo(100, 4);
    // amplitude in absolute value
    expect(amplitudeToDb(Float32Array.of(-10))[0]).toBeCloseTo(20, 5);
  });

  it('return new arrays', () => {
    const x = Float32Array.of(1, 2);
    const y = powerToDb(x);
    expect(y).not.toBe(x);
    expect(Array.from(x)).toEqual([1, 2]);
    expect(powerToDb(new Float32Array(0)).length).toBe(0);
  });

  it('reject bad options and values', () => {
    const x = Float32Array.of(1);
    expect(() => powerToDb(x, { amin: 0 })).toThrow(/amin.*0/);
    expect(() => amplitudeToDb(x, { amin: -1 })).toThrow(RangeError);
    expect(() => powerToDb(x, { topDb: -1 })).toThrow(/topDb.*-1/);
    expect(() => powerToDb(x, { ref: NaN })).toThrow(/ref.*NaN/);
    expect(() => powerToDb(Float32Array.of(NaN))).toThrow(/NaN at index 0/);
  });
});
