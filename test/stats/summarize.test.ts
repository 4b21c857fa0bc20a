import { describe, expect, it } from 'vitest';
import { summarizeStatistics } from '../../src/stats/summarize.js';
import { sweep } from './sweep-fixture.js';

describe('summarizeStatistics', () => {
  it('fills every level and summarizes a paper-like sweep (3 repeats)', () => {
    const s = summarizeStatistics(sweep({}), { classes: 10, seed: 1 });
    expect(s.repeats).toBe(3);
    expect(s.levels.map((l) => l.level)).toEqual([100, 75, 50, 25, 20, 15, 10, 5, 1]);
    for (const l of s.levels) {
      expect(l.ciMethod).toBe('t');
      expect(l.accuracyCi[0]).toBeLessThan(l.accuracy);
      expect(l.accuracyCi[1]).toBeGreaterThan(l.accuracy);
      expect(l.epochsToConverge).not.toBeNull();
      expect(l.runs).toHaveLength(3); // the input's fields are kept
    }
    expect(s.learned.learned).toBe(true);
    expect(s.knee).toMatchObject({ level: 20, Q: 0.8 });
    expect(s.kneeReason).toBeNull();
    expect(s.recommendation.test?.name).toBe('welch-one-sided');
    expect(s.recommendation.reason).toMatch(/one-sided Welch test at 5%, difference/);
    expect(s.convergence!.text).toMatch(/^q \d+ converges in .* epochs, q 100 in .*% less training/);
    expect(s.content).toMatchObject({ unit: 'bits/pixel', paperSaturated: false, measured: 0.55 });
    // Seeded: the same input and seed give the same result.
    expect(summarizeStatistics(sweep({}), { classes: 10, seed: 1 })).toEqual(s);
  });

  it('one repeat: bootstrap intervals over test items, labeled; the reason says the binomial error was used', () => {
    const s = summarizeStatistics(sweep({ repeats: 1 }), { classes: 10, seed: 2 });
    expect(s.levels.every((l) => l.ciMethod === 'bootstrap-test-items')).toBe(true);
    expect(s.recommendation.reason).toMatch(/one run per level/);
    expect(s.repeats).toBe(1);
  });

  it('a flat sweep has no knee and no content; a sweep that did not learn recommends nothing and says why', () => {
    const flat = summarizeStatistics(sweep({ levels: [1, 5, 20, 100], curve: [0.64, 0.65, 0.645, 0.652], sd: 0.01 }), { classes: 10 });
    expect(flat).toMatchObject({ knee: null, kneeReason: 'flat', content: null });
    const chance = summarizeStatistics(sweep({ curve: Array(9).fill(0.126), testCount: 480, sd: 0.004 }), { classes: 8, codec: 'webp' });
    expect(chance.kneeReason).toBe('not-learned');
    expect(chance.recommendation.level).toBe(100);
    expect(chance.recommendation.reason).toMatch(/^No compression is recommended \(WebP quality 100 is the best quality tried\): The classifier did not learn/);
    expect(chance.convergence).toBeNull();
  });

  it('takes a knee finder as a parameter', () => {
    const s = summarizeStatistics(sweep({}), { classes: 10, findKnee: (points) => points[3].Q, kneeOptions: {}, resamples: 50 });
    expect(s.knee?.support).toBe(1);
  });

  it('rejects bad input before any work', () => {
    expect(() => summarizeStatistics([], { classes: 10 })).toThrow(/levels must hold at least one finished level/);
    expect(() => summarizeStatistics(sweep({}), { classes: 0 })).toThrow(/classes must be an integer/);
    const twice = sweep({ levels: [5, 5, 10], curve: [0.5, 0.5, 0.6] });
    expect(() => summarizeStatistics(twice, { classes: 10 })).toThrow(/level 5 twice/);
  });
});
