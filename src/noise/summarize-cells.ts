/**
 * The third step of the sweep pipeline: finished cells to a {@link NoiseEstimate}. Every
 * statistic goes through {@link summarizeCells}.
 *
 * STATS: the interval, knee range/support/kneeReason, Welch recommendation, learned check,
 * convergence and content bits here are simple stand-ins (a t-interval, the knee of the mean
 * curve, the binomial recommendation); the "stats" helper's pure functions in src/stats/ replace
 * them at merge, inside this one file.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AnyCodec, CodecName, LevelBits, Modality } from '../codecs/codec.js';
import { DEFAULT_CODECS, getCodec } from '../codecs/registry.js';
import { interpolateGrid } from './adaptive.js';
import { findAccuracyKnee, type KneeMethod } from './knee.js';
import { validateLevels } from './levels.js';
import { accuracyStandardError, recommendLevel } from './recommend.js';
import { fitTheoryCurve } from './theory.js';
import type {
  ContentBits,
  Convergence,
  Knee,
  KneeReason,
  LearnedCheck,
  LevelResult,
  MeanWithCi,
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
}

// STATS: two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom (then 1.96).
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

/** STATS: mean and 95% t-interval of `values` (the value itself twice for one value). */
function tInterval(values: readonly number[]): MeanWithCi {
  const m = mean(values);
  if (values.length < 2) return { mean: m, ci: [m, m] };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
  const half = (T975[values.length - 2] ?? 1.96) * (sd / Math.sqrt(values.length));
  return { mean: m, ci: [m - half, m + half] };
}

function currentBackend(): string {
  try {
    return tf.getBackend() ?? 'none';
  } catch {
    return 'none';
  }
}

function legacyBits(bits: LevelBits): Pick<LevelResult, 'bitsPerPixel' | 'bitsPerSecond'> {
  return bits.unit === 'bits/pixel'
    ? { bitsPerPixel: { paper: bits.paper ?? NaN, tables: bits.tables ?? NaN, measured: bits.measured } }
    : { bitsPerSecond: { nominal: bits.nominal ?? NaN, measured: bits.measured } };
}

/**
 * One level's summary from its runs: the mean accuracy and its 95% interval (STATS: t over
 * repeats; with one run a normal interval of the binomial test accuracy, standing in for the
 * bootstrap over test items), epochs to converge (mean and interval over the runs that
 * converged), bits and times.
 *
 * @example
 * summarizeLevel(runs, 0.75).accuracyCi; // [0.79, 0.83]
 */
export function summarizeLevel(runs: readonly RunResult[], Q: number): LevelResult {
  const sorted = [...runs].sort((a, b) => a.repeat - b.repeat);
  const accs = sorted.map((r) => r.accuracy);
  const first = sorted[0];
  let accuracyCi: [number, number];
  let ciMethod: LevelResult['ciMethod'];
  if (sorted.length >= 2) {
    accuracyCi = tInterval(accs).ci;
    ciMethod = 't';
  } else {
    // STATS: stand-in for the bootstrap over test items.
    const half = 1.96 * accuracyStandardError(accs[0], first.testCount);
    accuracyCi = [Math.max(0, accs[0] - half), Math.min(1, accs[0] + half)];
    ciMethod = 'bootstrap-test-items';
  }
  const converged = sorted.map((r) => r.epochsToConverge).filter((e): e is number => e !== null);
  const sum = (f: (r: RunResult) => number): number => sorted.reduce((s, r) => s + f(r), 0);
  return {
    level: first.level,
    Q,
    accuracy: mean(accs),
    accuracyCi,
    ciMethod,
    runs: sorted,
    epochsToConverge: converged.length > 0 ? tInterval(converged) : null,
    bits: first.bits,
    testCount: first.testCount,
    seconds: sum((r) => r.seconds),
    compressSeconds: sum((r) => r.compressSeconds),
    trainSeconds: sum((r) => r.trainSeconds),
    bestAccuracy: mean(sorted.map((r) => r.bestAccuracy)),
    history: first.history,
    ...legacyBits(first.bits),
  };
}

/** STATS: is the best level above chance (one-sided z over its runs, or binomial for one run)? */
function learnedCheck(levels: readonly LevelResult[], classes: number): LearnedCheck {
  const chance = classes > 0 ? 1 / classes : 0;
  let best = levels[0];
  for (const l of levels) if (l.accuracy > best.accuracy) best = l;
  const accs = best.runs.map((r) => r.accuracy);
  const se =
    accs.length >= 2
      ? Math.sqrt(accs.reduce((s, v) => s + (v - best.accuracy) ** 2, 0) / (accs.length - 1) / accs.length)
      : accuracyStandardError(best.accuracy, best.testCount);
  const z = se > 0 ? (best.accuracy - chance) / se : best.accuracy > chance ? Infinity : 0;
  const pAboveChance = 0.5 * erfc(z / Math.SQRT2);
  const stillImproving = best.runs.some((r) => r.stillImproving);
  const learned = pAboveChance < 0.05;
  return {
    learned,
    chance,
    bestLevel: best.level,
    pAboveChance,
    stillImproving,
    ...(learned ? {} : { remedy: "the classifier is not significantly above chance: train longer (epochs: 'auto') or use a wider model (modelOptions.widthMultiplier)" }),
  };
}

/** Complementary error function (Abramowitz-Stegun 7.1.26, |error| < 1.5e-7). */
function erfc(x: number): number {
  if (!Number.isFinite(x)) return x > 0 ? 0 : 2;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return x >= 0 ? y : 2 - y;
}

/** STATS: convergence at the recommended level against the best-quality level, from the runs that converged. */
function convergenceOf(levels: readonly LevelResult[], recommendedLevel: number, name: (level: number) => string): Convergence {
  const reference = levels[0];
  const recommended = levels.find((l) => l.level === recommendedLevel);
  if (!recommended || recommended === reference || !recommended.epochsToConverge || !reference.epochsToConverge) return null;
  const point = (l: LevelResult) => ({
    level: l.level,
    epochs: l.epochsToConverge!,
    seconds: tInterval(l.runs.map((r) => r.trainSeconds)),
  });
  const rec = point(recommended);
  const ref = point(reference);
  const savedFraction = 1 - rec.epochs.mean / ref.epochs.mean;
  const pm = (m: MeanWithCi): string => `${m.mean.toFixed(0)} +- ${((m.ci[1] - m.ci[0]) / 2).toFixed(0)}`;
  return {
    recommended: rec,
    reference: ref,
    savedFraction,
    text: `${name(rec.level)} converges in ${pm(rec.epochs)} epochs, ${name(ref.level)} in ${pm(ref.epochs)}: ${(100 * savedFraction).toFixed(0)}% less training`,
  };
}

/**
 * Summarizes finished cells into a {@link NoiseEstimate}: cells grouped by level (mean accuracy,
 * interval, runs), levels sorted by Q; the knee of the mean curve (`findAccuracyKnee` on the
 * grid, unfinished grid levels linearly interpolated in Q, floor band
 * `max(0.02, 2 standard errors of the lowest accuracy)`), with `range` and `support` (STATS:
 * stand-ins `[level, level]` and 1) or `kneeReason`; the learned check (a knee is not read off
 * a classifier that did not learn); content bits at the knee; the theoretical curve; the
 * recommendation (`recommendLevel`) and convergence.
 *
 * @example
 * const estimate = summarizeCells(cellsFromFile, { grid: [1, 5, 10, 15, 20, 25, 50, 75, 100] });
 * estimate.knee; // { level: 20, Q: 0.8, range: [20, 20], support: 1 } or null
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
  const levels = [...byLevel.values()].map((runs) => summarizeLevel(runs, toQ(runs[0].level))).sort((a, b) => a.Q - b.Q);
  const gridQ = gridLevels.map(toQ);
  const testCount = levels[0].testCount;
  const tolerance = options.tolerance ?? 0.01;
  const classes = options.classes ?? 0;
  const name = (level: number): string => (codec.levelName === 'kbps' ? `${level} kbps` : `${codec.levelName} ${level}`);

  const learned = learnedCheck(levels, classes);
  let knee: Knee | null = null;
  let kneeReason: KneeReason | null = null;
  const means = new Map(levels.map((l) => [l.level, l.accuracy]));
  const trainedInGrid = gridLevels.filter((l) => means.has(l));
  if (trainedInGrid.length < 3) kneeReason = 'too-few-levels';
  else if (!learned.learned) kneeReason = 'not-learned';
  else {
    const accs = interpolateGrid(gridLevels, gridQ, means);
    const minAcc = Math.min(...levels.map((l) => l.accuracy));
    const floorBand = Math.max(0.02, 2 * accuracyStandardError(minAcc, testCount));
    const kneeQ = findAccuracyKnee(
      gridQ.map((Q, i) => ({ Q, accuracy: accs[i] })),
      { method: options.kneeMethod ?? 'quality', sensitivity: options.sensitivity ?? 1, floorBand },
    );
    if (kneeQ === null) kneeReason = 'no-knee';
    else {
      const level = gridLevels[gridQ.indexOf(kneeQ)];
      // STATS: stand-in range and support (the stats helper resamples runs and test items).
      knee = { level, Q: kneeQ, range: [level, level], support: 1 };
    }
  }
  const sourceBits = options.sourceBits ?? codec.sourceBits({}, gridLevels);
  let content: ContentBits | null = null;
  if (knee) {
    const at = levels.find((l) => l.level === knee!.level)?.bits;
    // STATS: content bits at the knee from the level's bits (an interpolated knee reads the codec's nominal figure).
    const paper = at?.paper ?? at?.nominal ?? (codec.levelName === 'kbps' ? knee.level * 1000 : NaN);
    content = {
      paper,
      ...(at?.tables !== undefined ? { tables: at.tables } : {}),
      measured: at?.measured ?? NaN,
      unit: at?.unit ?? (modality === 'image' ? 'bits/pixel' : 'bits/s'),
      paperSaturated: (at?.unit ?? 'bits/pixel') === 'bits/pixel' && paper <= 0,
    };
  }
  const recommendation = recommendLevel(levels, { tolerance, name });
  const sum = (f: (r: RunResult) => number): number => cells.reduce((s, r) => s + f(r), 0);
  return {
    modality,
    codec: codec.name,
    repeats: options.repeats ?? Math.max(...levels.map((l) => l.runs.length)),
    metric: options.metric ?? 'selected',
    levels,
    knee,
    kneeReason,
    content,
    learned,
    convergence: convergenceOf(levels, recommendation.level, name),
    contentBits: content ? content.paper : null,
    noiseBits: content ? sourceBits - content.paper : null,
    sourceBits,
    theory: fitTheoryCurve(levels.map((l) => ({ Q: l.Q, accuracy: l.accuracy }))),
    recommendation,
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
    testCount,
    classes,
  };
}
