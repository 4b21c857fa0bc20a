import { describe, expect, it } from 'vitest';
import { isotonicIncreasing } from '../../src/stats/isotonic.js';

describe('isotonicIncreasing', () => {
  it('leaves a non-decreasing sequence as it is', () => {
    expect(isotonicIncreasing([0.1, 0.2, 0.2, 0.9])).toEqual([0.1, 0.2, 0.2, 0.9]);
    expect(isotonicIncreasing([])).toEqual([]);
  });

  it('pools adjacent violators into their mean, repeatedly', () => {
    const fit = isotonicIncreasing([0.448, 0.503, 0.505, 0.486, 0.521]);
    [0.448, 0.498, 0.498, 0.498, 0.521].forEach((v, i) => expect(fit[i]).toBeCloseTo(v, 12));
    expect(isotonicIncreasing([3, 2, 1])).toEqual([2, 2, 2]);
  });

  it('matches scikit-learn IsotonicRegression on a weighted case', () => {
    // sklearn.isotonic.IsotonicRegression().fit_transform([0,1,2,3,4], [1,3,2,4,3.5], sample_weight=[1,2,1,1,3])
    // = [1, 2.6667, 2.6667, 3.625, 3.625]
    const fit = isotonicIncreasing([1, 3, 2, 4, 3.5], [1, 2, 1, 1, 3]);
    [1, 8 / 3, 8 / 3, 3.625, 3.625].forEach((v, i) => expect(fit[i]).toBeCloseTo(v, 12));
  });

  it('rejects bad input, naming it', () => {
    expect(() => isotonicIncreasing([1, Number.NaN])).toThrow(/values\[1\]/);
    expect(() => isotonicIncreasing([1, 2], [1])).toThrow(/weights/);
    expect(() => isotonicIncreasing([1, 2], [1, 0])).toThrow(/weights\[1\]/);
  });
});
