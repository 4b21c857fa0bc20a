import { describe, expect, it } from 'vitest';
import {
  convergenceWindow,
  epochsToConverge,
  selectEpoch,
  summarizeHistory,
  testAccuracyOf,
  topKMeanAccuracy,
} from '../../src/models/metrics.js';

const h = (values: number[]): { valAccuracy: number }[] => values.map((valAccuracy) => ({ valAccuracy }));
const vt = (val: number[], test: number[]): { valAccuracy: number; testAccuracy: number }[] =>
  val.map((valAccuracy, i) => ({ valAccuracy, testAccuracy: test[i] }));

describe('topKMeanAccuracy', () => {
  it('averages the k best test accuracies (the validation ones when there is no test set)', () => {
    expect(topKMeanAccuracy(h([0.5, 0.7, 0.6]), 2)).toBeCloseTo(0.65, 12);
    const values = Array.from({ length: 30 }, (_, i) => i / 100);
    expect(topKMeanAccuracy(h(values))).toBeCloseTo((20 + 29) / 2 / 100, 12);
    expect(topKMeanAccuracy(vt([0.9, 0.1, 0.1], [0.2, 0.4, 0.6]), 2)).toBeCloseTo(0.5, 12);
    expect(testAccuracyOf({ valAccuracy: 0.7, testAccuracy: 0.65 })).toBe(0.65);
    expect(testAccuracyOf({ valAccuracy: 0.7 })).toBe(0.7);
  });

  it('uses every epoch when there are fewer than k', () => {
    expect(topKMeanAccuracy(h([0.2, 0.4]))).toBeCloseTo(0.3, 12);
  });

  it('rejects an empty history and bad k', () => {
    expect(() => topKMeanAccuracy([])).toThrow(RangeError);
    expect(() => topKMeanAccuracy(h([0.1]), 0)).toThrow(/k must be an integer/);
  });
});

describe('convergenceWindow', () => {
  it('is min(10, max(1, round(epochs / 5)))', () => {
    expect([1, 2, 5, 7, 8, 10, 20, 49, 50, 200].map(convergenceWindow)).toEqual([1, 1, 1, 1, 2, 2, 4, 10, 10, 10]);
    expect(() => convergenceWindow(0)).toThrow(/epochs must be an integer/);
  });
});

describe('epochsToConverge', () => {
  const ramp = Array.from({ length: 30 }, (_, i) => Math.min(0.9, 0.05 * (i + 1)));

  it('uses a window scaled to the run: 6 epochs for a 30-epoch run', () => {
    // Epoch 22 averages epochs 17..22: (0.85 + 5 * 0.9) / 6 = 0.8917 >= 0.891; epoch 21: 0.875.
    expect(epochsToConverge(h(ramp))).toBe(22);
    expect(epochsToConverge(h(ramp))).toBe(epochsToConverge(h(ramp), { window: 6 }));
  });

  it("gives the paper's figure with the paper's 10-epoch window on a curve without spikes", () => {
    // Epoch 26 averages epochs 17..26: (0.85 + 9 * 0.9) / 10 = 0.895 > 0.891; epoch 25: 0.885.
    expect(epochsToConverge(h(ramp), { window: 10 })).toBe(26);
  });

  it('answers at any budget, spikes included', () => {
    // 5 epochs: window 1, the first epoch reaching 0.99 x 0.62 = 0.6138.
    expect(epochsToConverge(h([0.3, 0.5, 0.6, 0.62, 0.61]))).toBe(4);
    // One spike: the paper's reference (0.99 x the best single epoch, 0.891) is never reached by a
    // 2-epoch average; the best 2-epoch average (0.7) is reached at epoch 2.
    expect(epochsToConverge(h([0.5, 0.9, 0.5, 0.5]), { window: 2 })).toBe(2);
    expect(epochsToConverge(h([0.4]))).toBe(1);
    // The test accuracy is what converges when there is one.
    expect(epochsToConverge(vt([0.1, 0.1, 0.9], [0.8, 0.8, 0.8]))).toBe(1);
  });

  it('honours window and fraction', () => {
    const values = [0.1, 0.5, 0.9, 0.9, 0.9];
    expect(epochsToConverge(h(values), { window: 1 })).toBe(3);
    expect(epochsToConverge(h(values), { window: 2, fraction: 0.3 })).toBe(2); // (0.1 + 0.5) / 2 >= 0.27
    expect(epochsToConverge(h(values), { window: 2, fraction: 0.5 })).toBe(3);
    expect(epochsToConverge(h(values), { window: 3, fraction: 0.99 })).toBe(5);
    expect(epochsToConverge(h(values), { window: 2, fraction: 1 })).toBe(4);
    expect(() => epochsToConverge(h(values), { window: 0 })).toThrow(/window must be an integer/);
    expect(() => epochsToConverge(h(values), { fraction: 1.5 })).toThrow(/fraction must be/);
  });

  it('is null for an empty history, one shorter than an explicit window, or no positive accuracy', () => {
    expect(epochsToConverge([])).toBeNull();
    expect(epochsToConverge(h([0.5, 0.6]), { window: 10 })).toBeNull();
    expect(epochsToConverge(h([0, 0, 0]))).toBeNull();
  });

  it('is a pure function of the history', () => {
    const values = h([0.3, 0.2, 0.4, 0.4]);
    const copy = JSON.parse(JSON.stringify(values));
    epochsToConverge(values, { window: 2 });
    topKMeanAccuracy(values, 2);
    summarizeHistory(values);
    expect(values).toEqual(copy);
  });
});

describe('selectEpoch and summarizeHistory', () => {
  it('selects the best validation epoch, the earliest on ties', () => {
    expect(selectEpoch(h([0.5, 0.7, 0.7]))).toBe(2);
    expect(selectEpoch(h([0.5]))).toBe(1);
    expect(() => selectEpoch([])).toThrow(/history must contain/);
  });

  it('reports the test accuracy at the selected epoch and the other figures', () => {
    expect(summarizeHistory(vt([0.5, 0.7, 0.6], [0.4, 0.6, 0.65]))).toEqual({
      accuracy: 0.6,
      selectedEpoch: 2,
      paperAccuracy: expect.closeTo(0.55, 12) as unknown as number,
      lastAccuracy: 0.65,
      bestAccuracy: 0.65,
      epochsToConverge: 3,
      stillImproving: false,
      epochsRun: 3,
    });
    expect(() => summarizeHistory([])).toThrow(RangeError);
  });

  it('is still improving when the selected epoch lies within the last window of the run', () => {
    const rising = Array.from({ length: 10 }, (_, i) => 0.1 + 0.05 * i);
    expect(summarizeHistory(h(rising)).stillImproving).toBe(true); // best at 10
    const nearEnd = [...rising.slice(0, 9), rising[8] - 0.01];
    expect(summarizeHistory(h(nearEnd)).stillImproving).toBe(true); // best at 9, window 2
    const plateau = [...rising.slice(0, 6), 0.4, 0.39, 0.38, 0.4];
    expect(summarizeHistory(h(plateau)).stillImproving).toBe(false); // best at 7 (tie at 10 goes to 7)
    expect(summarizeHistory(h([0.3])).stillImproving).toBe(true); // one epoch shows nothing
  });

  it('with early stopping, a run that patience ended is not still improving', () => {
    // 29 epochs, best at 24, then 5 without a new best: window round(29 / 5) = 6 would flag it
    const stopped = [...Array.from({ length: 24 }, (_, i) => 0.1 + 0.02 * i), 0.5, 0.5, 0.49, 0.5, 0.48];
    expect(summarizeHistory(h(stopped)).stillImproving).toBe(true);
    expect(summarizeHistory(h(stopped), { patience: 5 }).stillImproving).toBe(false);
    // the same run cut off by maxEpochs 2 epochs after its best would have gone on
    expect(summarizeHistory(h(stopped.slice(0, 26)), { patience: 5 }).stillImproving).toBe(true);
    expect(() => summarizeHistory(h(stopped), { patience: 0 })).toThrow(/patience/);
  });
});
