import { describe, expect, it, vi } from 'vitest';
import { syntheticSensorImages } from '../../src/data/synthetic-images.js';
import { estimateNoise, prepareEstimate, summarizeLevels, validateEstimateOptions } from '../../src/noise/estimate.js';
import type { EstimateNoiseOptions, LevelResult, LevelRunner, ProgressEvent } from '../../src/noise/types.js';

const train = syntheticSensorImages({ count: 20, size: 8, seed: 1 });
const test = syntheticSensorImages({ count: 10, size: 8, seed: 2 });
const data = { train, test };

/** A plateau at 0.8 that falls below quality 20 (Q = 0.8). */
const curve = (level: number): number => (level >= 20 ? 0.8 : 0.8 - 0.04 * (20 - level));

function fakeResult(level: number, accuracy = curve(level)): LevelResult {
  return {
    level,
    Q: (100 - level) / 100,
    accuracy,
    bestAccuracy: accuracy,
    epochsToConverge: null,
    history: [{ epoch: 1, loss: 1, accuracy, valLoss: 1, valAccuracy: accuracy, seconds: 0.01 }],
    bitsPerPixel: { paper: 1, tables: 1, measured: 1 },
    testCount: 1000,
    seconds: 1,
    compressSeconds: 0.25,
    trainSeconds: 0.75,
  };
}

function fakeRunner(calls: number[]): LevelRunner {
  return async (level, context) => {
    calls.push(level);
    context.onProgress?.({ phase: 'compress', level, levelIndex: context.levelIndex, levelCount: context.levelCount, elapsedSeconds: 0 });
    context.onProgress?.({ phase: 'train', level, levelIndex: context.levelIndex, levelCount: context.levelCount, elapsedSeconds: 0, epoch: 1, epochs: 1, accuracy: curve(level) });
    return fakeResult(level);
  };
}

describe('estimateNoise: bad input fails before any training', () => {
  const cases: [string, Partial<EstimateNoiseOptions> & Record<string, unknown>, RegExp][] = [
    ['empty train set', { data: { train: { images: [], labels: [] }, test } }, /data\.train\.images must not be empty/],
    ['empty test set', { data: { train, test: { images: [], labels: [] } } }, /data\.test\.images must not be empty/],
    ['labels not matching images', { data: { train: { images: train.images, labels: train.labels.slice(1) }, test } }, /19 labels|20 images/],
    ['non-integer label', { data: { train: { images: train.images, labels: [0.5, ...train.labels.slice(1)] }, test } }, /data\.train\.labels\[0\]/],
    ['negative label', { data: { train, test: { images: test.images, labels: [-1, ...test.labels.slice(1)] } } }, /data\.test\.labels\[0\]/],
    ['one class', { data: { train: { images: train.images, labels: train.labels.map(() => 3) }, test } }, /at least 2 classes/],
    ['mixed sizes in train', { data: { train: { images: [...train.images.slice(1), syntheticSensorImages({ count: 1, size: 9 }).images[0]], labels: train.labels }, test } }, /one size/],
    ['train and test sizes differ', { data: { train, test: syntheticSensorImages({ count: 10, size: 12 }) } }, /train is 8x8x3, test is 12x12x3/],
    ['fewer than 3 levels', { levels: [1, 100] }, /at least 3 levels/],
    ['unknown level', { levels: [1, 50, 101] }, /levels\[2\]/],
    ['duplicate level', { levels: [1, 50, 50] }, /distinct/],
    ['unknown model', { model: 'Z' as 'A' }, /model/],
    ['bad epochs', { epochs: 0 }, /epochs/],
    ['bad strategy', { strategy: 'random' as 'grid' }, /strategy/],
    ['bad optimizer', { optimizer: 'sgd' as 'adam' }, /optimizer/],
    ['completed level outside the grid', { completedLevels: [fakeResult(33)] }, /completedLevels\[0\]\.level/],
    ['audio (not in this build)', { modality: 'audio' }, /modality/],
  ];
  for (const [name, patch, message] of cases) {
    it(name, async () => {
      const runner = vi.fn(fakeRunner([]));
      const options = { data, levelRunner: runner, ...patch } as EstimateNoiseOptions;
      expect(() => validateEstimateOptions(options)).toThrow(message);
      await expect(estimateNoise(options)).rejects.toThrow(message);
      expect(runner).not.toHaveBeenCalled();
    });
  }
});

describe('estimateNoise orchestration (stub runner)', () => {
  it('grid: trains every level, finds the knee, bits and recommendation', async () => {
    const calls: number[] = [];
    const events: ProgressEvent[] = [];
    const done: number[] = [];
    const estimate = await estimateNoise({
      data,
      levelRunner: fakeRunner(calls),
      onProgress: (e) => events.push(e),
      onLevelComplete: async (r) => {
        done.push(r.level);
      },
    });
    expect(calls.sort((a, b) => a - b)).toEqual([1, 5, 10, 15, 20, 25, 50, 75, 100]);
    expect(done).toHaveLength(9);
    expect(estimate.levels.map((l) => l.level)).toEqual([100, 75, 50, 25, 20, 15, 10, 5, 1]);
    expect(estimate.knee).toEqual({ level: 20, Q: 0.8 });
    expect(estimate.contentBits).toBeCloseTo(16 - Math.log2((12487 * (5000 / 20)) / 100), 6);
    expect(estimate.noiseBits! + estimate.contentBits!).toBeCloseTo(16, 12);
    expect(estimate.recommendation.level).toBe(20);
    expect(estimate.trainingsRun).toBe(9);
    expect(estimate.trainingsSaved).toBe(0);
    expect(estimate.strategy).toBe('grid');
    expect(estimate.theory.count).toBe(9);
    expect(estimate.timings.trainSeconds).toBeCloseTo(9 * 0.75, 12);
    expect(estimate.testCount).toBe(1000);
    expect(estimate.classes).toBe(10);
    expect(events.at(-1)!.phase).toBe('done');
    expect(events.filter((e) => e.phase === 'compress')).toHaveLength(9);
    expect(events.every((e) => e.levelCount === 9 && e.elapsedSeconds >= 0)).toBe(true);
    expect(events.some((e) => e.etaSeconds !== undefined)).toBe(true);
    expect(JSON.parse(JSON.stringify(estimate))).toEqual(estimate);
  });

  it('adaptive: fewer trainings, same knee, reports the savings', async () => {
    const grid = [100, 90, 75, 60, 50, 40, 30, 25, 20, 16, 13, 10, 7, 5, 3, 2, 1];
    const full = await estimateNoise({ data, levels: grid, levelRunner: fakeRunner([]) });
    const calls: number[] = [];
    const adaptive = await estimateNoise({ data, levels: grid, strategy: 'adaptive', levelRunner: fakeRunner(calls) });
    expect(adaptive.knee).toEqual(full.knee);
    expect(adaptive.trainingsRun).toBe(calls.length);
    expect(adaptive.trainingsRun).toBeLessThan(grid.length);
    expect(adaptive.trainingsSaved).toBe(grid.length - calls.length);
    expect(adaptive.strategy).toBe('adaptive');
    expect(calls).toContain(adaptive.knee!.level);
  });

  it('resumes from completed levels and runs levels concurrently', async () => {
    const calls: number[] = [];
    let running = 0;
    let peak = 0;
    const runner: LevelRunner = async (level) => {
      calls.push(level);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return fakeResult(level);
    };
    const estimate = await estimateNoise({
      data,
      levelRunner: runner,
      concurrency: 3,
      completedLevels: [fakeResult(100), fakeResult(75)],
    });
    expect(calls).not.toContain(100);
    expect(calls).not.toContain(75);
    expect(calls).toHaveLength(7);
    expect(peak).toBe(3);
    expect(estimate.trainingsRun).toBe(7);
    expect(estimate.levels).toHaveLength(9);
  });

  it('aborts', async () => {
    const controller = new AbortController();
    const runner: LevelRunner = async (level) => {
      controller.abort();
      return fakeResult(level);
    };
    await expect(estimateNoise({ data, levelRunner: runner, signal: controller.signal })).rejects.toThrow();
  });

  it('summarizeLevels works on its own (e.g. from a results file) and finds no knee on a flat curve', () => {
    const flat = [100, 50, 25, 10, 1].map((l) => fakeResult(l, 0.5));
    const estimate = summarizeLevels(flat, { grid: [100, 50, 25, 10, 1] });
    expect(estimate.knee).toBeNull();
    expect(estimate.contentBits).toBeNull();
    expect(estimate.noiseBits).toBeNull();
    expect(estimate.recommendation.level).toBe(1);
  });

  it('prepareEstimate defaults', () => {
    const p = prepareEstimate({ data });
    expect(p.grid).toEqual([100, 75, 50, 25, 20, 15, 10, 5, 1]);
    expect(p.inputShape).toEqual([8, 8, 3]);
    expect(p).toMatchObject({ epochs: 10, batchSize: 128, optimizer: 'adam', strategy: 'grid', sourceBits: 16, model: 'A', classes: 10 });
  });
});
