import { describe, expect, it } from 'vitest';
import { epochsToConverge, topKMeanAccuracy } from '../../src/models/metrics.js';

const h = (values: number[]): { valAccuracy: number }[] => values.map((valAccuracy) => ({ valAccuracy }));

describe('topKMeanAccuracy', () => {
  it('averages the k best validation accuracies', () => {
    expect(topKMeanAccuracy(h([0.5, 0.7, 0.6]), 2)).toBeCloseTo(0.65, 12);
    const values = Array.from({ length: 30 }, (_, i) => i / 100);
    expect(topKMeanAccuracy(h(values))).toBeCloseTo((20 + 29) / 2 / 100, 12);
  });

  it('uses every epoch when there are fewer than k', () => {
    expect(topKMeanAccuracy(h([0.2, 0.4]))).toBeCloseTo(0.3, 12);
  });

  it('rejects an empty history and bad k', () => {
    expect(() => topKMeanAccuracy([])).toThrow(RangeError);
    expect(() => topKMeanAccuracy(h([0.1]), 0)).toThrow(/k must be an integer/);
  });
});

describe('epochsToConverge', () => {
  it('is the first epoch whose 10-epoch moving average exceeds 0.99 x best', () => {
    const values = Array.from({ length: 30 }, (_, i) => Math.min(0.9, 0.05 * (i + 1)));
    // Epoch 26 averages epochs 17..26: (0.85 + 9 * 0.9) / 10 = 0.895 > 0.891; epoch 25: 0.885.
    expect(epochsToConverge(h(values))).toBe(26);
  });

  it('honours window and fraction', () => {
    const values = [0.1, 0.5, 0.9, 0.9, 0.9];
    expect(epochsToConverge(h(values), { window: 1 })).toBe(3);
    expect(epochsToConverge(h(values), { window: 2, fraction: 0.3 })).toBe(2); // (0.1 + 0.5) / 2 > 0.27
    expect(epochsToConverge(h(values), { window: 2, fraction: 0.5 })).toBe(3);
    expect(epochsToConverge(h(values), { window: 3, fraction: 0.99 })).toBe(5);
  });

  it('is null when the history is shorter than the window or never converges', () => {
    expect(epochsToConverge(h([0.5, 0.6]))).toBeNull();
    expect(epochsToConverge(h([0.1, 0.9]), { window: 2, fraction: 1 })).toBeNull();
  });

  it('is a pure function of the history', () => {
    const values = h([0.3, 0.2, 0.4, 0.4]);
    const copy = JSON.parse(JSON.stringify(values));
    epochsToConverge(values, { window: 2 });
    topKMeanAccuracy(values, 2);
    expect(values).toEqual(copy);
  });
});
