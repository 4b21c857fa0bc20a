import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/stats/student-t.json';
import { levelEstimate } from '../../src/stats/level-estimate.js';
import { recommendLevelWelch } from '../../src/stats/recommend.js';
import { welchOneSided } from '../../src/stats/welch.js';

const est = (values: number[]) => levelEstimate({ level: 1, Q: 0, testCount: 1000, runs: values.map((accuracy) => ({ accuracy })) });

describe('welchOneSided', () => {
  it('matches scipy ttest_ind(equal_var=False, alternative="less")', () => {
    for (const c of fixture.welch) {
      const r = welchOneSided(est(c.a), est(c.b));
      expect(r.t).toBeCloseTo(c.statistic, 10);
      expect(r.df).toBeCloseTo(c.df, 10);
      expect(r.p).toBeCloseTo(c.p, 12);
      expect(r.significant).toBe(c.p < 0.05);
      // The 90% interval's upper end is the one-sided 95% bound: below 0 exactly when significant.
      expect(r.ci[1] < 0).toBe(r.significant);
    }
  });
  it('handles zero variances (exact differences)', () => {
    const z = (mean: number) => ({ mean, varianceOfMean: 0, df: 2 });
    expect(welchOneSided(z(0.7), z(0.8)).p).toBe(0);
    expect(welchOneSided(z(0.8), z(0.8)).p).toBe(0.5);
    expect(welchOneSided(z(0.9), z(0.8)).significant).toBe(false);
    expect(() => welchOneSided(z(0.9), { mean: 0.8, varianceOfMean: -1, df: 2 })).toThrow(/reference.varianceOfMean/);
  });
});

const level = (level: number, accs: number[], testCount = 1000) => ({ level, Q: (100 - level) / 100, testCount, runs: accs.map((accuracy) => ({ accuracy })) });

describe('recommendLevelWelch', () => {
  it('picks the strongest compression not significantly below the best, and names the test', () => {
    const rec = recommendLevelWelch([
      level(100, [0.77, 0.76, 0.775]),
      level(50, [0.768, 0.772, 0.765]),
      level(20, [0.765, 0.77, 0.76]),
      level(5, [0.6, 0.62, 0.61]),
    ]);
    expect(rec.level).toBe(20);
    expect(rec.test?.name).toBe('welch-one-sided');
    expect(rec.test!.difference).toBeCloseTo(0.765 - 0.7683333, 6);
    expect(rec.test!.p).toBeGreaterThan(0.05);
    expect(rec.reason).toMatch(/JPEG quality 20 .*one-sided Welch test at 5%, difference -0\.003 \(90% interval -0\.\d+ to \+0\.\d+, p 0\.\d+, df \d/);
  });
  it('never goes more than the tolerance below the best, even when not significant', () => {
    const noisy = [level(100, [0.8, 0.7, 0.9]), level(20, [0.78, 0.68, 0.88])];
    expect(recommendLevelWelch(noisy, { tolerance: 0.01 }).level).toBe(100);
    expect(recommendLevelWelch(noisy, { tolerance: 0.03 }).level).toBe(20);
  });
  it('rejects a significant drop, and explains the best level with the nearest test', () => {
    const rec = recommendLevelWelch([level(100, [0.77, 0.771, 0.769]), level(50, [0.762, 0.763, 0.761])], { tolerance: 0.05 });
    expect(rec.level).toBe(100);
    expect(rec.test).toBeUndefined();
    expect(rec.reason).toMatch(/has the best mean accuracy .*the nearest, JPEG quality 50: difference -0\.008/);
  });
  it('with one run per level falls back to the binomial error over test items and says so', () => {
    const rec = recommendLevelWelch([level(100, [0.77]), level(50, [0.765]), level(20, [0.7])], { codec: 'webp' });
    expect(rec.level).toBe(50);
    expect(rec.reason).toMatch(/^WebP quality 50/);
    expect(rec.reason).toMatch(/one run per level .*binomial standard error over the 1000 test items/);
  });
  it('handles zero-variance runs and audio naming', () => {
    const rec = recommendLevelWelch(
      [{ ...level(160, [0.8, 0.8, 0.8]), Q: 0 }, { ...level(64, [0.795, 0.795, 0.795]), Q: 0.6 }],
      { modality: 'audio' },
    );
    expect(rec.level).toBe(64);
    expect(rec.reason).toMatch(/^64 kbps .*runs agree exactly, its variance is the binomial one/);
  });
  it('rejects bad input', () => {
    expect(() => recommendLevelWelch([])).toThrow(/levels must hold at least one level/);
    expect(() => recommendLevelWelch([level(100, [0.7])], { tolerance: 2 })).toThrow(/tolerance must be a finite number in \[0, 1\], got 2/);
  });
});
