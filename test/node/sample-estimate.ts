/** A hand-made NoiseEstimate shaped like the paper's CIFAR-10 curve, for plot and CLI tests. */
import type { LevelResult, NoiseEstimate } from '../../src/noise/types.js';
import { fitTheoryCurve } from '../../src/noise/theory.js';

const levels = [1, 5, 10, 15, 20, 25, 50, 75, 100];
const accuracy = [0.42, 0.6, 0.68, 0.71, 0.73, 0.745, 0.76, 0.765, 0.77];
const bpp = [0, 0, 0.02, 0.6, 1.0, 1.4, 2.4, 3.6, 16];

export function sampleEstimate(modality: 'image' | 'audio' = 'image'): NoiseEstimate {
  const results: LevelResult[] = levels
    .map((level, i) => ({
      level,
      Q: (100 - level) / 100,
      accuracy: accuracy[i],
      bestAccuracy: accuracy[i] + 0.01,
      epochsToConverge: 12 - i,
      history: [],
      bitsPerPixel: { paper: bpp[i], tables: bpp[i] * 0.9, measured: bpp[i] * 0.5 },
      testCount: 1000,
      seconds: 10,
      compressSeconds: 1,
      trainSeconds: 9,
    }))
    .sort((a, b) => a.Q - b.Q);
  return {
    modality,
    levels: results,
    knee: { level: 20, Q: 0.8 },
    contentBits: 1.0,
    noiseBits: 15,
    sourceBits: 16,
    theory: fitTheoryCurve(results),
    recommendation: { level: 25, Q: 0.75, reason: 'strongest compression within 0.01 of the best accuracy' },
    timings: { totalSeconds: 90, compressSeconds: 9, trainSeconds: 81 },
    backend: 'wasm',
    trainingsRun: 9,
    trainingsSaved: 0,
    strategy: 'grid',
    trainCount: 3000,
    testCount: 1000,
    classes: 10,
  };
}
