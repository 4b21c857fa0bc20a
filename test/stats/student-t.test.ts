import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/student-t.json';
import { normalCdf, normalQuantile } from '../../src/stats/normal.js';
import { logGamma, regularizedIncompleteBeta } from '../../src/stats/special-functions.js';
import { tCdf, tQuantile, tSurvival } from '../../src/stats/student-t.js';

describe('Student-t (against scipy, scripts/make-stats-fixtures.py)', () => {
  it('quantiles match scipy t.ppf to 1e-11 (df 1..30, 40, 60, 120, 1000 and non-integer df)', () => {
    expect(fixture.quantiles.length).toBeGreaterThan(400);
    for (const { p, df, t } of fixture.quantiles) {
      expect(Math.abs(tQuantile(p, df) - t)).toBeLessThanOrEqual(1e-11 * Math.max(1, Math.abs(t)));
    }
  });

  it('the textbook 97.5% column: 12.706 (df 1), 4.303 (2), 2.228 (10), 2.042 (30), 2.000 (60), 1.980 (120)', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.7062047, 6);
    expect(tQuantile(0.975, 2)).toBeCloseTo(4.3026527, 6);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.2281389, 6);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.0422725, 6);
    expect(tQuantile(0.975, 60)).toBeCloseTo(2.0002978, 6);
    expect(tQuantile(0.975, 120)).toBeCloseTo(1.9799304, 6);
    expect(tQuantile(0.975, Infinity)).toBeCloseTo(1.959964, 6);
  });

  it('CDF and upper tail match scipy t.cdf', () => {
    for (const { t, df, p } of fixture.cdf) {
      expect(Math.abs(tCdf(t, df) - p)).toBeLessThan(1e-13);
      expect(Math.abs(tSurvival(-t, df) - p)).toBeLessThan(1e-13);
    }
    expect(tCdf(0, 3)).toBe(0.5);
    expect(tSurvival(40, 5)).toBeGreaterThan(0); // tiny tail keeps its precision
    expect(tSurvival(40, 5)).toBeLessThan(1e-6);
  });

  it('quantile and CDF invert each other', () => {
    for (const df of [1.3, 3, 8.5, 25]) for (const p of [0.01, 0.3, 0.77, 0.999]) expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 12);
  });

  it('special functions and the normal', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(regularizedIncompleteBeta(0.5, 2, 2)).toBeCloseTo(0.5, 14);
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
  });

  it('rejects bad input naming the parameter', () => {
    expect(() => tQuantile(1, 3)).toThrow(/p must be in the open interval/);
    expect(() => tQuantile(0.5, 0)).toThrow(/df \(degrees of freedom\) must be a number > 0/);
    expect(() => tCdf(Number.NaN, 3)).toThrow(/t must be a finite number/);
  });
});
