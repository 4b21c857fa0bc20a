import { describe, expect, it } from 'vitest';
import { findAccuracyKnee } from '../../src/noise/knee.js';
import { adaptiveBisectLevels, adaptiveCoarseLevels, adaptiveNextLevels, interpolateGrid } from '../../src/noise/adaptive.js';
import { bitrateToQ, DEFAULT_IMAGE_LEVELS, levelsToQ, qToQuality, qualityToQ, validateLevels } from '../../src/noise/levels.js';
import { createRandom } from '../../src/util/random.js';

describe('Q axis', () => {
  it('maps qualities and bitrates', () => {
    expect(qualityToQ(100)).toBe(0);
    expect(qualityToQ(1)).toBeCloseTo(0.99, 12);
    expect(qualityToQ(25)).toBe(0.75);
    expect(qToQuality(0.75)).toBe(25);
    expect(levelsToQ([...DEFAULT_IMAGE_LEVELS])).toHaveLength(9);
    expect(bitrateToQ(160, [8, 16, 160])).toBe(0);
    expect(bitrateToQ(8, [8, 16, 160])).toBe(1);
    expect(() => qualityToQ(0)).toThrow(/quality/);
  });

  it('validates levels before any training', () => {
    expect(validateLevels([1, 50, 100])).toEqual([100, 50, 1]);
    expect(() => validateLevels([1, 50])).toThrow(/at least 3/);
    expect(() => validateLevels([1, 50, 50])).toThrow(/distinct/);
    expect(() => validateLevels([1, 50, 101])).toThrow(/levels\[2\].*1\.\.100.*101/);
    expect(() => validateLevels([1, 2.5, 50])).toThrow(/levels\[1\]/);
    expect(() => validateLevels('1,2,3')).toThrow(TypeError);
    expect(validateLevels([8, 160, 64], 'audio')).toEqual([160, 64, 8]);
    // The MP3 bitrates depend on the data's sample rate: MPEG-2 (22.05 kHz) tops out at 160 kbps.
    expect(validateLevels([8, 160, 320], 'audio', { sampleRate: 44100 })).toEqual([320, 160, 8]);
    expect(() => validateLevels([8, 160, 320], 'audio', { sampleRate: 22050 })).toThrow(
      /levels\[2\] must be one of the kbps valid for mp3 at 22050 Hz \(8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160\), got 320/,
    );
    expect(() => validateLevels([8, 144, 160], 'audio', { sampleRate: 44100 })).toThrow(/levels\[1\].*at 44100 Hz.*got 144/);
  });
});

describe('adaptive planner', () => {
  const grid = [100, 75, 50, 25, 20, 15, 10, 5, 1];
  it('picks coarse levels including both ends', () => {
    expect(adaptiveCoarseLevels(grid)).toEqual([100, 25, 15, 1]);
    expect(adaptiveCoarseLevels(grid, 3)).toEqual([100, 20, 1]);
  });
  it('bisects only where the curve moves', () => {
    const acc = new Map([[100, 0.8], [25, 0.79], [15, 0.6], [1, 0.2]]);
    expect(adaptiveBisectLevels(grid, acc)).toEqual([20, 10]);
    expect(adaptiveBisectLevels(grid, new Map([[100, 0.8], [1, 0.795]]))).toEqual([]);
  });
  it('interpolates untrained grid levels in Q', () => {
    const Q = levelsToQ(grid);
    const acc = interpolateGrid(grid, Q, new Map([[100, 0.8], [25, 0.6], [1, 0.2]]));
    expect(acc[0]).toBe(0.8);
    expect(acc[1]).toBeCloseTo(0.8 - (0.2 * 0.25) / 0.75, 12);
    expect(acc[8]).toBe(0.2);
  });

  it('lands within one grid step of the full grid knee on simulated curves', () => {
    // Plateau, then a fall (sometimes to a chance floor), measured with binomial noise (n = 1000).
    const fine = [100, 90, 75, 60, 50, 40, 30, 25, 20, 16, 13, 10, 7, 5, 3, 2, 1];
    const Q = levelsToQ(fine);
    const rand = createRandom(7);
    let within = 0;
    let trainings = 0;
    let cases = 0;
    for (let t = 0; t < 200; t++) {
      const c = rand.uniform(0.5, 0.97);
      const w = rand.uniform(0.01, 0.05);
      const floor = rand.next() < 0.5;
      const truth = Q.map((q) => (floor ? 0.1 + 0.7 / (1 + Math.exp((q - c) / w)) : q <= c ? 0.8 : 0.8 - 3 * (q - c)));
      const measured = new Map(fine.map((l, i) => [l, truth[i] + 0.0126 * rand.normal()]));
      const kneeOf = (acc: number[]): number | null => {
        const q = findAccuracyKnee(Q.map((x, i) => ({ Q: x, accuracy: acc[i] })), { floorBand: 0.03 });
        return q === null ? null : Q.indexOf(q);
      };
      const full = kneeOf(fine.map((l) => measured.get(l)!));
      const trained = new Map<number, number>();
      const kneeLevel = (m: ReadonlyMap<number, number>): number | null => {
        const k = kneeOf(interpolateGrid(fine, Q, m));
        return k === null ? null : fine[k];
      };
      for (let next = adaptiveNextLevels(fine, trained, kneeLevel); next.length; next = adaptiveNextLevels(fine, trained, kneeLevel)) {
        for (const l of next) trained.set(l, measured.get(l)!);
      }
      const adaptive = kneeOf(interpolateGrid(fine, Q, trained));
      cases++;
      trainings += trained.size;
      if ((full === null && adaptive === null) || (full !== null && adaptive !== null && Math.abs(full - adaptive) <= 1)) within++;
    }
    expect(within / cases).toBeGreaterThanOrEqual(0.95);
    expect(trainings / cases).toBeLessThan(fine.length * 0.7);
  });
});
