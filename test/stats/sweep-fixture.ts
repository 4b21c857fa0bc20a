/** Synthetic sweeps (levels with runs, CONTRACT-shaped enough for src/stats) for the stats tests. */
import { createRandom } from '../../src/util/random.js';

export interface FixtureRun {
  level: number;
  repeat: number;
  accuracy: number;
  testCount: number;
  epochsToConverge: number | null;
  epochsRun: number;
  trainSeconds: number;
  stillImproving: boolean;
}

export interface FixtureLevel {
  level: number;
  Q: number;
  runs: FixtureRun[];
  testCount: number;
  bits: { unit: 'bits/pixel'; paper?: number; tables?: number; measured: number };
}

/** The paper-like CIFAR curve (JPEG qualities), knee at q 20. */
export const PAPER_LEVELS = [1, 5, 10, 15, 20, 25, 50, 75, 100];
export const PAPER_CURVE = [0.42, 0.6, 0.68, 0.71, 0.745, 0.75, 0.755, 0.758, 0.76];

/**
 * Levels with `repeats` runs each: accuracy = curve + normal noise of `sd`, epochs to converge
 * `epochs(level)`, seeded.
 */
export function sweep(options: {
  levels?: number[];
  curve?: number[];
  repeats?: number;
  sd?: number;
  testCount?: number;
  seed?: number;
  stillImproving?: boolean;
  epochs?: (level: number) => number | null;
}): FixtureLevel[] {
  const levels = options.levels ?? PAPER_LEVELS;
  const curve = options.curve ?? PAPER_CURVE;
  const repeats = options.repeats ?? 3;
  const sd = options.sd ?? 0.005;
  const testCount = options.testCount ?? 1000;
  const random = createRandom(options.seed ?? 7);
  const epochs = options.epochs ?? ((level: number) => Math.round(5 + level / 25));
  return levels.map((level, i) => ({
    level,
    Q: (100 - level) / 100,
    testCount,
    bits: { unit: 'bits/pixel', measured: 0.05 + level / 40 },
    runs: Array.from({ length: repeats }, (_, repeat) => {
      const e = epochs(level);
      return {
        level,
        repeat,
        accuracy: Math.round(Math.min(1, Math.max(0, curve[i] + sd * random.normal())) * testCount) / testCount,
        testCount,
        epochsToConverge: e === null ? null : e + (repeat % 2),
        epochsRun: 20,
        trainSeconds: 40 + repeat,
        stillImproving: options.stillImproving ?? false,
      };
    }),
  }));
}
