import { describe, expect, it } from 'vitest';
import { findAccuracyKnee, type AccuracyKneeOptions } from '../../src/noise/knee.js';
import { levelsToQ } from '../../src/noise/levels.js';
import { createRandom } from '../../src/util/random.js';

const paperQ = levelsToQ([100, 75, 50, 25, 20, 15, 10, 5, 1]);

/**
 * Mean distance in grid steps between each finder's knee and the true onset of the fall, over
 * 300 simulated curves on the paper's grid: a plateau at `top` that falls by `slope` per unit Q
 * from a random onset, plus Gaussian noise of SD `noise` (a missing knee counts as the grid's length).
 */
function onsetErrors(curve: { seed: number; top: number; slope: number; noise: number }, finders: AccuracyKneeOptions[]): number[] {
  const rand = createRandom(curve.seed);
  const errors = finders.map(() => 0);
  const trials = 300;
  for (let t = 0; t < trials; t++) {
    const c = rand.uniform(0.5, 0.95);
    const points = paperQ.map((Q) => ({ Q, accuracy: (Q <= c ? curve.top : curve.top - curve.slope * (Q - c)) + curve.noise * rand.normal() }));
    const truth = paperQ.filter((q) => q <= c).length - 1;
    finders.forEach((options, k) => {
      const knee = findAccuracyKnee(points, options);
      errors[k] += knee === null ? paperQ.length : Math.abs(paperQ.indexOf(knee) - truth);
    });
  }
  return errors.map((e) => e / trials);
}

describe('findAccuracyKnee', () => {
  it('finds where a plateau starts to fall', () => {
    const points = [
      { Q: 0, accuracy: 0.8 }, { Q: 0.5, accuracy: 0.8 }, { Q: 0.75, accuracy: 0.79 },
      { Q: 0.85, accuracy: 0.7 }, { Q: 0.95, accuracy: 0.4 }, { Q: 0.99, accuracy: 0.2 },
    ];
    expect(findAccuracyKnee(points)).toBe(0.75);
    // order of the points does not matter
    expect(findAccuracyKnee([...points].reverse())).toBe(0.75);
  });

  it('returns null for a flat curve', () => {
    expect(findAccuracyKnee(paperQ.map((Q) => ({ Q, accuracy: 0.5 })))).toBeNull();
  });

  it('ignores a chance-level floor at the strongest compression', () => {
    const acc = [0.8, 0.8, 0.79, 0.78, 0.6, 0.3, 0.11, 0.1, 0.1];
    expect(findAccuracyKnee(paperQ.map((Q, i) => ({ Q, accuracy: acc[i] })))).toBe(0.75);
  });

  it('tracks the true onset of the fall better than kneed on the raw Q axis', () => {
    const [errQuality, errKneed] = onsetErrors({ seed: 3, top: 0.8, slope: 3, noise: 0.01 }, [{}, { method: 'kneed-q' }]);
    expect(errQuality).toBeLessThan(0.5);
    expect(errKneed).toBeGreaterThan(2);
  });

  it('reads the knee off the monotone fit: a noisy bump above the plateau does not become the knee', () => {
    // The mean curves of the photo-patch sweeps of docs/statistics.md (seeds 1 and 2, 5 repeats).
    const Q = levelsToQ([100, 25, 10, 5, 1]);
    const seed1 = [0.521, 0.486, 0.505, 0.503, 0.448];
    const seed2 = [0.545, 0.602, 0.56, 0.503, 0.422];
    const at = (acc: number[], monotone: boolean): number | null =>
      findAccuracyKnee(Q.map((q, i) => ({ Q: q, accuracy: acc[i] })), { monotone });
    expect(at(seed1, true)).toBeCloseTo(0.95, 12); // q 5
    expect(at(seed2, true)).toBeCloseTo(0.9, 12); // q 10: q 25's 0.602 pools with q 100's 0.545
    expect(at(seed2, false)).toBeCloseTo(0.75, 12); // q 25 on the raw points
  });

  it('with noise on the plateau, the monotone fit finds the onset at least as well as the raw points', () => {
    const [errMonotone, errRaw] = onsetErrors({ seed: 5, top: 0.6, slope: 2, noise: 0.03 }, [{}, { monotone: false }]);
    expect(errMonotone).toBeLessThanOrEqual(errRaw);
  });

  it('rejects bad input', () => {
    expect(() => findAccuracyKnee([{ Q: 0.5, accuracy: 0.5 }], { monotone: 1 as unknown as boolean })).toThrow(/monotone/);
    expect(() => findAccuracyKnee([{ Q: 1.5, accuracy: 0.5 }])).toThrow(/points\[0\]\.Q/);
    expect(() => findAccuracyKnee([{ Q: 0.5, accuracy: 0.5 }], { method: 'x' as 'quality' })).toThrow(/method/);
  });
});
