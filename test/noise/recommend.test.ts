import { describe, expect, it } from 'vitest';
import { recommendLevel } from '../../src/noise/recommend.js';
import { recommendLevelWelch } from '../../src/stats/recommend.js';

const level = (l: number, accuracy: number, testCount = 1000) => ({ level: l, Q: (100 - l) / 100, accuracy, testCount });

describe('recommendLevel (one accuracy per level)', () => {
  it('is recommendLevelWelch on levels of one run each (binomial variance over the test items)', () => {
    const points = [level(100, 0.81), level(50, 0.815), level(25, 0.808), level(10, 0.7), level(5, 0.6)];
    const r = recommendLevel(points);
    const w = recommendLevelWelch(points.map((p) => ({ level: p.level, Q: p.Q, testCount: p.testCount, runs: [{ accuracy: p.accuracy }] })));
    expect(r).toEqual(w);
    // 25 is 0.007 below the best (q 50), not significant and within the tolerance 0.01
    expect(r.level).toBe(25);
    expect(r.Q).toBe(0.75);
    expect(r.reason).toMatch(/JPEG quality 25.*not significantly below.*JPEG quality 50.*binomial/);
  });

  it('never gives up more than the tolerance, even where the drop is within the noise', () => {
    // 100 test items: a 0.03 drop is far within the binomial noise, but beyond the tolerance
    expect(recommendLevel([level(100, 0.8, 100), level(50, 0.77, 100)]).level).toBe(100);
    expect(recommendLevel([level(100, 0.8, 100), level(50, 0.77, 100)], { tolerance: 0.05 }).level).toBe(50);
  });

  it('recommends the best level when everything else is significantly worse', () => {
    const r = recommendLevel([level(100, 0.9, 1e6), level(50, 0.7, 1e6), level(25, 0.5, 1e6)]);
    expect(r.level).toBe(100);
    expect(r.reason).toMatch(/best mean accuracy/);
  });

  it('names bitrates for audio and codecs, checks input', () => {
    const r = recommendLevel([{ level: 160, Q: 0, accuracy: 0.9, testCount: 100 }, { level: 64, Q: 0.63, accuracy: 0.895, testCount: 100 }], { modality: 'audio' });
    expect(r.reason).toMatch(/64 kbps/);
    expect(recommendLevel([level(100, 0.8), level(50, 0.8)], { codec: 'webp' }).reason).toMatch(/WebP quality 50/);
    expect(() => recommendLevel([])).toThrow(/at least one/);
    expect(() => recommendLevel([level(100, 1.5)])).toThrow(/levels\[0\]\.accuracy/);
  });
});
