/**
 * A sweep estimate in the CONTRACT shape (levels with runs, intervals, knee with range,
 * recommendation with its test, learned check, convergence, content), made from the synthetic
 * sweep with summarizeStatistics, for the plot and report tests.
 */
import { bitsPerPixel } from '../../src/image/bits.js';
import { fitTheoryCurve } from '../../src/noise/theory.js';
import { summarizeStatistics } from '../../src/stats/summarize.js';
import { sweep } from './sweep-fixture.js';

export function sampleSweepEstimate(options: { repeats?: number; levels?: number[]; curve?: number[]; classes?: number; stillImproving?: boolean } = {}) {
  const levels = sweep({ repeats: options.repeats ?? 3, levels: options.levels, curve: options.curve, sd: 0.006, stillImproving: options.stillImproving }).map((l) => ({
    ...l,
    bits: { ...l.bits, paper: bitsPerPixel(l.level).remainingBits, tables: bitsPerPixel(l.level, { method: 'tables' }).remainingBits },
    seconds: 44,
    compressSeconds: 2,
    trainSeconds: 42,
  }));
  const stats = summarizeStatistics(levels, { classes: options.classes ?? 10, seed: 1, resamples: 300 });
  return {
    modality: 'image' as const,
    codec: 'jpeg',
    metric: 'selected' as const,
    ...stats,
    theory: fitTheoryCurve(stats.levels),
    classes: options.classes ?? 10,
    trainCount: 3000,
    testCount: 1000,
    backend: 'wasm',
    sourceBits: 16,
    contentBits: stats.content?.measured ?? null,
    noiseBits: null,
    timings: { totalSeconds: 400, compressSeconds: 18, trainSeconds: 378 },
    trainingsRun: levels.length * stats.repeats,
    trainingsSaved: 0,
    strategy: 'grid' as const,
  };
}
