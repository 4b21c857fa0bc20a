import { describe, expect, it } from 'vitest';
import { binomialSample, binomialStandardError } from '../../src/stats/binomial.js';
import { bootstrapTestItems } from '../../src/stats/bootstrap-test-items.js';
import { levelAccuracyInterval, levelEstimate } from '../../src/stats/level-estimate.js';
import { meanInterval } from '../../src/stats/mean-interval.js';
import { empiricalQuantile } from '../../src/stats/quantile.js';
import { createRandom } from '../../src/util/random.js';

describe('meanInterval', () => {
  it('is mean +- t(0.975, n - 1) s / sqrt(n)', () => {
    const i = meanInterval([0.71, 0.73, 0.72]);
    const half = (4.302652729749464 * 0.01) / Math.sqrt(3);
    expect(i.method).toBe('t');
    expect(i.confidence).toBe(0.95);
    expect(i.low).toBeCloseTo(0.72 - half, 12);
    expect(i.high).toBeCloseTo(0.72 + half, 12);
    expect(meanInterval([0.5, 0.5]).low).toBe(0.5);
  });
  it('needs two values and a confidence in (0, 1)', () => {
    expect(() => meanInterval([0.7])).toThrow(/at least 2 numbers .*bootstrapTestItems/);
    expect(() => meanInterval([0.7, 0.8], 1)).toThrow(/confidence/);
    expect(() => meanInterval([])).toThrow(/values must be a non-empty array/);
  });
});

describe('binomialSample', () => {
  it('has the binomial mean and variance, seeded', () => {
    for (const [n, p] of [[1000, 0.8], [20, 0.3], [500, 0.002], [3, 0.99]] as const) {
      const random = createRandom(5);
      const N = 20000;
      let s = 0;
      let s2 = 0;
      let bad = 0;
      for (let i = 0; i < N; i++) {
        const x = binomialSample(n, p, random);
        if (!(Number.isInteger(x) && x >= 0 && x <= n)) bad++;
        s += x;
        s2 += x * x;
      }
      expect(bad).toBe(0);
      const mean = s / N;
      const variance = s2 / N - mean * mean;
      expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt((n * p * (1 - p)) / N) + 1e-9);
      expect(variance / (n * p * (1 - p))).toBeGreaterThan(0.9);
      expect(variance / (n * p * (1 - p))).toBeLessThan(1.1);
    }
    expect(binomialSample(10, 0, createRandom(1))).toBe(0);
    expect(binomialSample(10, 1, createRandom(1))).toBe(10);
    expect(binomialStandardError(0.8, 1000)).toBeCloseTo(Math.sqrt(0.16 / 1000), 15);
  });
});

describe('bootstrapTestItems', () => {
  it('is the binomial resample of the correct count: about +-1.96 standard errors, seeded, labeled', () => {
    const a = bootstrapTestItems(0.8, 1000, { seed: 1 });
    expect(a.method).toBe('bootstrap-test-items');
    const se = Math.sqrt(0.16 / 1000);
    expect(a.low).toBeGreaterThan(0.8 - 2.3 * se);
    expect(a.low).toBeLessThan(0.8 - 1.6 * se);
    expect(a.high).toBeGreaterThan(0.8 + 1.6 * se);
    expect(a.high).toBeLessThan(0.8 + 2.3 * se);
    expect(bootstrapTestItems(0.8, 1000, { seed: 1 })).toEqual(a);
    expect(bootstrapTestItems(0.8, 1000, { seed: 2 })).not.toEqual(a);
    expect(() => bootstrapTestItems(1.2, 10)).toThrow(/accuracy must be a finite number in \[0, 1\], got 1.2/);
    expect(() => bootstrapTestItems(0.5, 0)).toThrow(/testCount must be an integer/);
  });
  it('empiricalQuantile interpolates like numpy', () => {
    expect(empiricalQuantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(empiricalQuantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
  });
});

describe('levelEstimate and levelAccuracyInterval', () => {
  const base = { level: 20, Q: 0.8, testCount: 1000 };
  it('uses the repeats when they vary, the test items otherwise (and says which)', () => {
    const r = levelEstimate({ ...base, runs: [{ accuracy: 0.71 }, { accuracy: 0.73 }] });
    expect(r.source).toBe('repeats');
    expect(r.varianceOfMean).toBeCloseTo(0.0002 / 2, 12);
    expect(r.df).toBe(1);
    const one = levelEstimate({ ...base, runs: [{ accuracy: 0.8 }] });
    expect(one.source).toBe('binomial-single-run');
    expect(one.varianceOfMean).toBeCloseTo(0.16 / 1000, 4);
    expect(levelEstimate({ ...base, runs: [{ accuracy: 0.8 }, { accuracy: 0.8 }] }).source).toBe('binomial-zero-variance');
    expect(levelEstimate({ ...base, runs: [{ accuracy: 1 }] }).varianceOfMean).toBeGreaterThan(0);
    expect(levelAccuracyInterval({ ...base, runs: [{ accuracy: 0.71 }, { accuracy: 0.73 }, { accuracy: 0.72 }] }).method).toBe('t');
    expect(levelAccuracyInterval({ ...base, runs: [{ accuracy: 0.8 }] }, { seed: 3 }).method).toBe('bootstrap-test-items');
    expect(levelAccuracyInterval({ ...base, runs: [{ accuracy: 0.8 }, { accuracy: 0.8 }] }).method).toBe('bootstrap-test-items');
  });
  it('names the level and run in errors', () => {
    expect(() => levelEstimate({ ...base, runs: [] })).toThrow(/level.runs must hold at least one run/);
    expect(() => levelEstimate({ ...base, runs: [{ accuracy: Number.NaN }] })).toThrow(/level.runs\[0\].accuracy/);
  });
});
