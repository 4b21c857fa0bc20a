/** A hand-made NoiseEstimate shaped like the paper's CIFAR-10 curve, for plot and CLI tests. */
import type { NoiseEstimate, RunResult } from '../../src/noise/types.js';
import { summarizeCells } from '../../src/noise/summarize-cells.js';

const levels = [1, 5, 10, 15, 20, 25, 50, 75, 100];
const accuracy = [0.42, 0.6, 0.68, 0.71, 0.73, 0.745, 0.76, 0.765, 0.77];
const bpp = [0, 0, 0.02, 0.6, 1.0, 1.4, 2.4, 3.6, 16];

/** One finished cell of the sample curve (audio: the level read as kbps). */
export function sampleCell(level: number, repeat = 0, modality: 'image' | 'audio' = 'image'): RunResult {
  const i = levels.indexOf(level);
  const acc = (i >= 0 ? accuracy[i] : 0.5) + (repeat - 1) * 0.004;
  return {
    level,
    repeat,
    seed: repeat,
    accuracy: acc,
    testAccuracy: acc,
    paperAccuracy: acc + 0.005,
    lastAccuracy: acc,
    bestAccuracy: acc + 0.01,
    selectedEpoch: 10,
    epochsRun: 12,
    epochsToConverge: 12 - Math.max(i, 0),
    stillImproving: false,
    history: [],
    bits:
      modality === 'image'
        ? { unit: 'bits/pixel', paper: bpp[i] ?? 0, tables: (bpp[i] ?? 0) * 0.9, measured: (bpp[i] ?? 0) * 0.5 }
        : { unit: 'bits/s', nominal: level * 1000, measured: level * 1000 },
    testCount: 1000,
    seconds: 10,
    compressSeconds: 1,
    trainSeconds: 9,
  };
}

export function sampleEstimate(modality: 'image' | 'audio' = 'image'): NoiseEstimate {
  const cells = levels.flatMap((level) => [0, 1, 2].map((repeat) => sampleCell(level, repeat, modality)));
  const estimate = summarizeCells(cells, { modality: 'image', grid: levels, trainCount: 3000, classes: 10, backend: 'wasm', repeats: 3 });
  return {
    ...estimate,
    modality,
    codec: modality === 'image' ? 'jpeg' : 'mp3',
    knee: { level: 20, Q: 0.8, range: [15, 25], support: 0.8 },
    kneeReason: null,
    content: { paper: 1.0, tables: 0.9, measured: 1.2, unit: 'bits/pixel', paperSaturated: false },
    sourceBits: 16,
    recommendation: { level: 25, Q: 0.75, reason: 'strongest compression within 0.01 of the best accuracy' },
    timings: { totalSeconds: 90, compressSeconds: 9, trainSeconds: 81 },
    trainingsRun: 27,
  };
}
