import { describe, expect, it } from 'vitest';
import { recommendLevel } from '../../src/noise/recommend.js';
import { binomialStandardError } from '../../src/stats/binomial.js';

const level = (l: number, accuracy: number, testCount = 1000) => ({ level: l, Q: (100 - l) / 100, accuracy, testCount });

describe('recommendLevel', () => {
  it('picks the strongest compression within the margin of the best', () => {
    const r = recommendLevel([level(100, 0.81), level(50, 0.815), level(25, 0.8), level(10, 0.7), level(5, 0.6)]);
    // margin = max(0.01, 2 * sqrt(0.815 * 0.185 / 1000) = 0.0246)
    expect(r.level).toBe(25);
    expect(r.Q).toBe(0.75);
    expect(r.reason).toMatch(/JPEG quality 25.*strongest.*0\.815.*quality 50/);
  });

  it('uses the tolerance when the test set is large', () => {
    const r = recommendLevel([level(100, 0.9, 1e6), level(50, 0.895, 1e6), level(25, 0.88, 1e6)], { tolerance: 0.01 });
    expect(r.level).toBe(50);
    expect(r.reason).toMatch(/tolerance/);
  });

  it('recommends the best level when everything else is worse', () => {
    const r = recommendLevel([level(100, 0.9, 1e6), level(50, 0.7, 1e6), level(25, 0.5, 1e6)]);
    expect(r.level).toBe(100);
    expect(r.reason).toMatch(/best accuracy/);
  });

  it('names bitrates for audio, checks input', () => {
    const r = recommendLevel([{ level: 160, Q: 0, accuracy: 0.9, testCount: 100 }, { level: 64, Q: 0.63, accuracy: 0.89, testCount: 100 }], { modality: 'audio' });
    expect(r.reason).toMatch(/64 kbps/);
    expect(() => recommendLevel([])).toThrow(/at least one/);
    expect(binomialStandardError(0.5, 100)).toBeCloseTo(0.05, 12);
  });
});
