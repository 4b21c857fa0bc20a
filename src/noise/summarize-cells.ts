/**
 * The third step of the sweep pipeline: finished cells to a {@link NoiseEstimate}. Every
 * statistic goes through {@link summarizeCells}.
 *
 * The statistics (intervals, knee with range and support, Welch recommendation, learned check,
 * convergence, content bits) come from src/stats, `summarizeStatistics` (docs/statistics.md).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AnyCodec, CodecName, Modality } from '../codecs/codec.js';
import { DEFAULT_CODECS, getCodec } from '../codecs/registry.js';
import { epochsToConvergeOf } from '../stats/convergence.js';
import { levelAccuracyInterval } from '../stats/level-estimate.js';
import { summarizeStatistics } from '../stats/summarize.js';
import type { KneeMethod } from './knee.js';
import { validateLevels } from './levels.js';
import { fitTheoryCurve } from './theory.js';
import type {
  LevelResult,
  Metric,
  NoiseEstimate,
  NoiseStrategy,
  RunResult,
} from './types.js';

/** What {@link summarizeCells} needs besides the finished cells (all optional). */
export interface SummarizeOptions {
  /** Default 'image'. */
  modality?: Modality;
  /** Default: the modality's default codec. */
  codec?: CodecName;
  /** The full grid of levels (default: the finished levels). The knee is found on this grid, unfinished levels interpolated. */
  grid?: readonly number[];
  /** Default: the codec's (16 for RGB images, the highest bitrate in bits/s for audio). */
  sourceBits?: number;
  /** Default 0.01. */
  tolerance?: number;
  /** Default 1. */
  sensitivity?: number;
  /** Default 'quality'. */
  kneeMethod?: KneeMethod;
  /** Default 'grid'. */
  strategy?: NoiseStrategy;
  /** Default: the current tfjs backend's name. */
  backend?: string;
  /** Trainings run by the caller. Default: the number of cells. */
  trainingsRun?: number;
  /** Wall time of the run. Default: the sum of the cells' times. */
  totalSeconds?: number;
  trainCount?: number;
  /** Class count (sets chance for the learned check). Default: unknown (chance 0). */
  classes?: number;
  /** Repeats per level. Default: the most runs of any level. */
  repeats?: number;
  /** Default 'selected'. */
  metric?: Metric;
  /** Seed of the resamplings (knee bootstrap, one-run intervals). Default 0. */
  seed?: number;
  /** Knee bootstrap resamples. Default 1000 (src/stats `summarizeStatistics`). */
  resamples?: number;
}

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

function currentBackend(): string {
  try {
    return tf.getBackend() ?? 'none';
  } catch {
    return 'none';
  }
}

/**
 * One level's summary from its runs: the mean accuracy and its 95% interval (t over repeats;
 * with one run, or runs that agree, a seeded bootstrap over the test items: `ciMethod` says
 * which; see src/stats `levelAccuracyInterval`), epochs to converge (mean and interval over the
 * runs that converged), bits and times.
 *
 * @example
 * summarizeLevel(runs, 0.75).accuracyCi; // [0.79, 0.83]
 */
export function summarizeLevel(runs: readonly RunResult[], Q: number, options: { seed?: number } = {}): LevelResult {
  const sorted = [...runs].sort((a, b) => a.repeat - b.repeat);
  const first = sorted[0];
  const ci = levelAccuracyInterval({ level: first.level, Q, testCount: first.testCount, runs: sorted }, { seed: options.seed ?? 0 });
  const sum = (f: (r: RunResult) => number): number => sorted.reduce((s, r) => s + f(r), 0);
  return {
    level: first.level,
    Q,
    accuracy: mean(sorted.map((r) => r.accuracy)),
    accuracyCi: [ci.low, ci.high],
    ciMethod: ci.method,
    runs: sorted,
    epochsToConverge: epochsToConvergeOf({ level: first.level, runs: sorted }),
    bits: first.bits,
    testCount: first.testCount,
    seconds: sum((r) => r.seconds),
    compressSeconds: sum((r) => r.compressSeconds),
    trainSeconds: sum((r) => r.trainSeconds),
  };
}

/**
 * Summarizes finished cells into a {@link NoiseEstimate}: cells grouped by level, levels sorted
 * by Q, and every statistic from `summarizeStatistics` (src/stats): per level the mean accuracy
 * with its interval and epochs to converge; the learned check; the knee of the mean curve with
 * `range` and `support` (bootstrap over repeats and test items, seeded) or `kneeReason`; content
 * bits at the knee; the Welch recommendation; convergence. The knee is read on the trained
 * levels (an adaptive sweep trains the levels around it). Unknown `classes` (0): chance is taken
 * as 0 in the learned check.
 *
 * @example
 * const estimate = summarizeCells(cellsFromFile, { grid: [1, 5, 10, 15, 20, 25, 50, 75, 100], classes: 10 });
 * estimate.knee; // { level: 20, Q: 0.8, range: [15, 25], support: 0.7 } or null (estimate.kneeReason says why)
 */
export function summarizeCells(cells: readonly RunResult[], options: SummarizeOptions = {}): NoiseEstimate {
  if (!Array.isArray(cells) || cells.length === 0) throw new RangeError('cells must hold at least one finished cell, got none');
  const modality = options.modality ?? 'image';
  const codec: AnyCodec = getCodec(options.codec ?? DEFAULT_CODECS[modality]);
  const byLevel = new Map<number, RunResult[]>();
  for (const c of cells) byLevel.set(c.level, [...(byLevel.get(c.level) ?? []), c]);
  const trainedLevels = [...byLevel.keys()];
  const trainedQ = (level: number): number => (trainedLevels.length >= 2 ? codec.toQ(level, trainedLevels) : 0);
  const gridLevels = options.grid ? validateLevels([...options.grid], codec) : [...trainedLevels].sort((a, b) => trainedQ(a) - trainedQ(b));
  const toQ = (level: number): number => (options.grid ? codec.toQ(level, gridLevels) : trainedQ(level));
  const seed = options.seed ?? 0;
  const perLevel = [...byLevel.values()].map((runs) => summarizeLevel(runs, toQ(runs[0].level), { seed }));
  const classes = options.classes ?? 0;
  const sourceBits = options.sourceBits ?? codec.sourceBits({}, gridLevels);
  const stats = summarizeStatistics(perLevel, {
    // Unknown class count: chance ~0 (the learned check then only asks "above 0").
    classes: classes >= 2 ? classes : Number.MAX_SAFE_INTEGER,
    modality,
    codec: codec.name,
    tolerance: options.tolerance ?? 0.01,
    sensitivity: options.sensitivity ?? 1,
    kneeMethod: options.kneeMethod ?? 'quality',
    seed,
    ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
    ...(modality === 'image' ? { sourceBits } : {}),
  });
  const levels: LevelResult[] = stats.levels;
  const learned = classes >= 2 ? stats.learned : { ...stats.learned, chance: 0 };
  const trainedInGrid = gridLevels.filter((l) => byLevel.has(l));
  const sum = (f: (r: RunResult) => number): number => cells.reduce((s, r) => s + f(r), 0);
  return {
    modality,
    codec: codec.name,
    repeats: options.repeats ?? Math.max(...levels.map((l) => l.runs.length)),
    metric: options.metric ?? 'selected',
    levels,
    knee: stats.knee,
    kneeReason: stats.kneeReason,
    content: stats.content,
    learned,
    convergence: stats.convergence,
    sourceBits,
    theory: fitTheoryCurve(levels.map((l) => ({ Q: l.Q, accuracy: l.accuracy }))),
    recommendation: stats.recommendation,
    timings: {
      totalSeconds: options.totalSeconds ?? sum((r) => r.seconds),
      compressSeconds: sum((r) => r.compressSeconds),
      trainSeconds: sum((r) => r.trainSeconds),
    },
    backend: options.backend ?? currentBackend(),
    trainingsRun: options.trainingsRun ?? cells.length,
    trainingsSaved: Math.max(0, gridLevels.length - trainedInGrid.length),
    strategy: options.strategy ?? 'grid',
    trainCount: options.trainCount ?? 0,
    testCount: levels[0].testCount,
    classes,
  };
}
