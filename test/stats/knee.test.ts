import { describe, expect, it } from 'vitest';
import { findAccuracyKnee } from '../../src/noise/knee.js';
import { analyzeKnee } from '../../src/stats/knee-analysis.js';
import { resampleKnee } from '../../src/stats/knee-range.js';
import { learnedCheck } from '../../src/stats/learned.js';
import { sweep } from './sweep-fixture.js';

const finder = { findKnee: findAccuracyKnee, kneeOptions: { floorBand: 0.02 } };

describe('resampleKnee', () => {
  it('range is the shortest contiguous run of levels holding >= 90% of resampled knees; support agrees with the mean knee', () => {
    const levels = sweep({ repeats: 2 });
    const sortedQ = [...levels].sort((a, b) => a.Q - b.Q).map((l) => l.Q);
    // A scripted finder: the mean curve (first call) has its knee at index 4; the resamples at
    // index 4 (50%), 5 (30%), 3 (15%), 8 (5%).
    const script = [...Array(50).fill(4), ...Array(30).fill(5), ...Array(15).fill(3), ...Array(5).fill(8)];
    let call = -1;
    const findKnee = () => sortedQ[call++ < 0 ? 4 : script[call - 1]];
    const r = resampleKnee(levels, { findKnee, kneeOptions: {}, resamples: 100 });
    expect(r.kneeIndex).toBe(4);
    expect(r.found).toBe(100);
    expect(r.counts[4]).toBe(50);
    expect(r.rangeIndex).toEqual([3, 5]);
    expect(r.support).toBe(0.5);
  });
  it('is seeded', () => {
    const levels = sweep({});
    const a = resampleKnee(levels, { ...finder, seed: 3, resamples: 200 });
    expect(resampleKnee(levels, { ...finder, seed: 3, resamples: 200 })).toEqual(a);
  });
});

describe('analyzeKnee', () => {
  it('finds the paper-like knee with a range around it', () => {
    const { knee, kneeReason } = analyzeKnee(sweep({}), { ...finder, seed: 1 });
    expect(kneeReason).toBeNull();
    expect(knee!.level).toBe(20);
    expect(knee!.range[0]).toBeLessThanOrEqual(20);
    expect(knee!.range[1]).toBeGreaterThanOrEqual(20);
    expect(knee!.range[1] - knee!.range[0]).toBeLessThanOrEqual(10);
    expect(knee!.support).toBeGreaterThan(0.5);
  });
  it('widens the range when the runs are noisier', () => {
    const quiet = analyzeKnee(sweep({ sd: 0.002 }), { ...finder, seed: 1 }).knee!;
    const noisy = analyzeKnee(sweep({ sd: 0.02, repeats: 3 }), { ...finder, seed: 1 }).knee;
    expect(quiet.support).toBeGreaterThan(noisy?.support ?? 0);
  });
  it("Fashion-MNIST-like flat sweep (levels 1, 5, 20, 100, spread within noise): null, 'flat', not a knee at q 1", () => {
    const flat = sweep({ levels: [1, 5, 20, 100], curve: [0.64, 0.65, 0.645, 0.652], repeats: 3, sd: 0.01 });
    const means = flat.map((l) => ({ Q: l.Q, accuracy: l.runs.reduce((s, r) => s + r.accuracy, 0) / l.runs.length }));
    expect(findAccuracyKnee(means, { floorBand: 0.02 })).not.toBeNull(); // the finder alone reads a knee off noise
    expect(analyzeKnee(flat, { ...finder, seed: 1 })).toMatchObject({ knee: null, kneeReason: 'flat' });
    const single = sweep({ levels: [1, 5, 20, 100], curve: [0.64, 0.65, 0.645, 0.652], repeats: 1, sd: 0 });
    expect(analyzeKnee(single, { ...finder, seed: 1 }).kneeReason).toBe('flat');
  });
  it('a knee at the strongest-compression end that is not significantly below the best is flat', () => {
    // Worst level (q 50) differs, but q 1 (the end) is level with the best.
    const levels = sweep({ levels: [1, 5, 50, 100], curve: [0.76, 0.755, 0.7, 0.76], sd: 0.002 });
    const endFinder = { findKnee: () => 0.99, kneeOptions: {} };
    expect(analyzeKnee(levels, { ...endFinder, seed: 1 }).kneeReason).toBe('flat');
  });
  it('reasons: too-few-levels, not-learned, still-improving, no-knee', () => {
    expect(analyzeKnee(sweep({ levels: [5, 100], curve: [0.5, 0.7] }), finder).kneeReason).toBe('too-few-levels');
    const chance = sweep({ curve: Array(9).fill(0.126), sd: 0.003, testCount: 480 });
    const notLearned = learnedCheck(chance, { classes: 8 });
    expect(analyzeKnee(chance, { ...finder, learned: notLearned }).kneeReason).toBe('not-learned');
    const rising = sweep({ stillImproving: true });
    expect(analyzeKnee(rising, { ...finder, learned: learnedCheck(rising, { classes: 10 }) }).kneeReason).toBe('still-improving');
    expect(analyzeKnee(sweep({}), { findKnee: () => null, kneeOptions: {} }).kneeReason).toBe('no-knee');
  });
});

describe('learnedCheck', () => {
  it('learned: well above chance and converged', () => {
    const r = learnedCheck(sweep({}), { classes: 10 });
    expect(r).toMatchObject({ learned: true, chance: 0.1, bestLevel: 100, stillImproving: false });
    expect(r.pAboveChance).toBeLessThan(0.001);
    expect(r.remedy).toBeUndefined();
  });
  it('at chance: says so in plain words and names the remedy', () => {
    const r = learnedCheck(sweep({ curve: Array(9).fill(0.13), sd: 0.004, testCount: 480, repeats: 1 }), { classes: 8 });
    expect(r.learned).toBe(false);
    expect(r.pAboveChance).toBeGreaterThan(0.05);
    expect(r.remedy).toMatch(/did not learn.*not significantly above chance \(0\.125 for 8 classes.*epochs: 'auto'.*wider model/);
  });
  it('every run far above chance on its test items: above chance, though the two runs differ too much for the t test', () => {
    const levels = [{ level: 100, Q: 0, testCount: 300, runs: [{ accuracy: 0.44 }, { accuracy: 0.7 }] }, { level: 1, Q: 0.99, testCount: 300, runs: [{ accuracy: 0.3 }, { accuracy: 0.31 }] }];
    const r = learnedCheck(levels, { classes: 6 });
    expect(r.pAboveChance).toBeGreaterThan(0.05); // the t test over 2 repeats alone: not significant
    expect(r).toMatchObject({ learned: true, bestLevel: 100 });
    // the same runs still rising at their last epoch: above chance, not finished: the knee's reason says so
    const rising = levels.map((l) => ({ ...l, runs: l.runs.map((run) => ({ ...run, stillImproving: true })) }));
    const unfinished = learnedCheck(rising, { classes: 6 });
    expect(unfinished).toMatchObject({ learned: false, aboveChance: true, stillImproving: true });
    expect(unfinished.remedy).toMatch(/had not finished learning/);
    const three = [...rising, { ...rising[1], level: 50, Q: 0.5 }];
    expect(analyzeKnee(three, { ...finder, learned: unfinished }).kneeReason).toBe('still-improving');
    // one run at chance: the t test decides again
    const mixed = learnedCheck([{ ...levels[0], runs: [{ accuracy: 0.17 }, { accuracy: 0.7 }] }], { classes: 6 });
    expect(mixed.learned).toBe(false);
    expect(mixed.remedy).toMatch(/Not every training learned: at the best level, JPEG quality 100, 1 of its 2 runs did \(accuracy 0\.700\) and 1 stayed near chance \(0\.170; chance 0\.167 for 6 classes\).*--seed/);
  });
  it('still improving at the last epoch: not learned, names epochs auto', () => {
    const r = learnedCheck(sweep({ curve: [0.24, 0.25, 0.26, 0.25, 0.27, 0.26, 0.25, 0.27, 0.26], stillImproving: true }), { classes: 8 });
    expect(r).toMatchObject({ learned: false, stillImproving: true });
    expect(r.pAboveChance).toBeLessThan(0.05);
    expect(r.remedy).toMatch(/still improving at the last epoch.*epochs: 'auto'/);
  });
  it('needs classes', () => {
    expect(() => learnedCheck(sweep({}), { classes: 1 })).toThrow(/classes must be an integer in 2\.\./);
  });
});
