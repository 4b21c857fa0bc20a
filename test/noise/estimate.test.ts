import { describe, expect, it, vi } from 'vitest';
import { syntheticSensorImages } from '../../src/data/synthetic-images.js';
import { estimateNoise, validateEstimateOptions } from '../../src/noise/estimate.js';
import { prepareSweep } from '../../src/noise/prepare.js';
import { summarizeCells } from '../../src/noise/summarize-cells.js';
import type { CellRunner, EstimateNoiseOptions, ProgressEvent, RunResult } from '../../src/noise/types.js';

const train = syntheticSensorImages({ count: 20, size: 8, seed: 1 });
const test = syntheticSensorImages({ count: 10, size: 8, seed: 2 });
const data = { train, test };

/** A plateau at 0.8 that falls below quality 20 (Q = 0.8). */
const curve = (level: number): number => (level >= 20 ? 0.8 : 0.8 - 0.04 * (20 - level));

function fakeResult(level: number, accuracy = curve(level), repeat = 0): RunResult {
  return {
    level,
    repeat,
    seed: repeat,
    accuracy,
    testAccuracy: accuracy,
    paperAccuracy: accuracy,
    lastAccuracy: accuracy,
    bestAccuracy: accuracy,
    selectedEpoch: 1,
    epochsRun: 1,
    epochsToConverge: null,
    stillImproving: false,
    history: [{ epoch: 1, loss: 1, accuracy, valLoss: 1, valAccuracy: accuracy, seconds: 0.01 }],
    bits: { unit: 'bits/pixel', paper: 1, tables: 1, measured: 1 },
    testCount: 1000,
    seconds: 1,
    compressSeconds: 0.25,
    trainSeconds: 0.75,
  };
}

function fakeRunner(calls: number[], cells: string[] = []): CellRunner {
  return async ({ level, repeat }, context) => {
    calls.push(level);
    cells.push(`${level}/${repeat}`);
    context.onProgress?.({ phase: 'compress', level, levelIndex: context.levelIndex, levelCount: context.levelCount, elapsedSeconds: 0 });
    context.onProgress?.({ phase: 'train', level, levelIndex: context.levelIndex, levelCount: context.levelCount, elapsedSeconds: 0, epoch: 1, epochs: 1, accuracy: curve(level) });
    return fakeResult(level, curve(level), repeat);
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
    ['completed cell outside the grid', { completedCells: [fakeResult(33)] }, /completedCells\[0\]\.level/],
    ['audio data given as images', { modality: 'audio' }, /data\.train\.signals/],
    ['unknown modality', { modality: 'video' as 'audio' }, /modality/],
    ['unknown codec', { codec: 'png' }, /codec must be one of "jpeg", "mp3".*"png"/],
    ['codec of another modality', { codec: 'mp3' }, /codec "mp3" compresses audio, but modality is "image"/],
    ['repeats 0', { repeats: 0 }, /repeats must be an integer >= 1.*got 0/],
    ['repeats not an integer', { repeats: 1.5 }, /repeats must be an integer >= 1.*got 1\.5/],
    ['patience without epochs auto', { patience: 3 }, /patience needs epochs: 'auto'/],
    ['maxEpochs without epochs auto', { epochs: 5, maxEpochs: 30 }, /maxEpochs needs epochs: 'auto'/],
    ['epochs neither a number nor auto', { epochs: 'some' as 'auto' }, /epochs must be an integer >= 1 or "auto"/],
    ['validation fraction below 0', { validationFraction: -0.1 }, /validationFraction must be 0 \(no split\) or a number in \(0, 0\.5\].*got -0\.1/],
    ['validation fraction 0 with epochs auto', { validationFraction: 0, epochs: 'auto' }, /validationFraction 0 \(no validation split\) needs a fixed epochs count/],
    ['validation fraction above 0.5', { validationFraction: 0.6 }, /validationFraction.*got 0\.6/],
    ['unknown metric', { metric: 'best' as 'paper' }, /metric/],
  ];
  for (const [name, patch, message] of cases) {
    it(name, async () => {
      const runner = vi.fn(fakeRunner([]));
      const options = { data, cellRunner: runner, ...patch } as EstimateNoiseOptions;
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
      repeats: 1,
      cellRunner: fakeRunner(calls),
      onProgress: (e) => events.push(e),
      onCellComplete: async (r) => {
        done.push(r.level);
      },
    });
    expect(calls.sort((a, b) => a - b)).toEqual([1, 5, 10, 15, 20, 25, 50, 75, 100]);
    expect(done).toHaveLength(9);
    expect(estimate.levels.map((l) => l.level)).toEqual([100, 75, 50, 25, 20, 15, 10, 5, 1]);
    expect(estimate.knee).toMatchObject({ level: 20, Q: 0.8 });
    expect(estimate.knee!.range[0]).toBeLessThanOrEqual(20);
    expect(estimate.kneeReason).toBeNull();
    expect(estimate.codec).toBe('jpeg');
    expect(estimate.content).toMatchObject({ unit: 'bits/pixel', measured: 1 });
    expect(estimate.learned.learned).toBe(true);
    expect(estimate.levels[0]).toMatchObject({ ciMethod: 'bootstrap-test-items', runs: [expect.objectContaining({ repeat: 0 })] });
    expect(estimate.content?.paper).toBe(1); // the level's bits (the fake runner's paper figure)
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
    const full = await estimateNoise({ data, levels: grid, repeats: 1, cellRunner: fakeRunner([]) });
    const calls: number[] = [];
    const adaptive = await estimateNoise({ data, levels: grid, repeats: 1, strategy: 'adaptive', cellRunner: fakeRunner(calls) });
    // Same knee and range; its support differs a little (the resamples see other levels).
    expect(adaptive.knee).toMatchObject({ level: full.knee!.level, Q: full.knee!.Q, range: full.knee!.range });
    expect(adaptive.trainingsRun).toBe(calls.length);
    expect(adaptive.trainingsRun).toBeLessThan(grid.length);
    expect(adaptive.trainingsSaved).toBe(grid.length - calls.length);
    expect(adaptive.strategy).toBe('adaptive');
    expect(calls).toContain(adaptive.knee!.level);
  });

  it('resumes from completed cells and runs cells concurrently', async () => {
    const calls: number[] = [];
    let running = 0;
    let peak = 0;
    const runner: CellRunner = async ({ level }) => {
      calls.push(level);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return fakeResult(level);
    };
    const estimate = await estimateNoise({
      data,
      repeats: 1,
      cellRunner: runner,
      concurrency: 3,
      completedCells: [fakeResult(100), fakeResult(75)],
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
    const runner: CellRunner = async ({ level }) => {
      controller.abort();
      return fakeResult(level);
    };
    await expect(estimateNoise({ data, cellRunner: runner, signal: controller.signal })).rejects.toThrow();
  });

  it('repeats: every level trained `repeats` times; raising repeats trains only the new cells', async () => {
    const cells: string[] = [];
    const levels = [100, 50, 20, 5, 1];
    const first = await estimateNoise({ data, levels, repeats: 2, cellRunner: fakeRunner([], cells) });
    expect(cells.sort()).toEqual(levels.flatMap((l) => [`${l}/0`, `${l}/1`]).sort());
    expect(first.repeats).toBe(2);
    // The stub's repeats agree exactly: no spread over repeats, so the interval is the bootstrap over test items.
    expect(first.levels.every((l) => l.runs.length === 2 && l.ciMethod === 'bootstrap-test-items')).toBe(true);
    const done = first.levels.flatMap((l) => l.runs);
    const more: string[] = [];
    const second = await estimateNoise({ data, levels, repeats: 3, completedCells: done, cellRunner: fakeRunner([], more) });
    expect(more.sort()).toEqual(levels.map((l) => `${l}/2`).sort());
    expect(second.trainingsRun).toBe(5);
    expect(second.levels.every((l) => l.runs.length === 3)).toBe(true);
  });

  it('summarizeCells works on its own (e.g. from a results file) and finds no knee on a flat curve', () => {
    const flat = [100, 50, 25, 10, 1].map((l) => fakeResult(l, 0.5));
    const estimate = summarizeCells(flat, { grid: [100, 50, 25, 10, 1] });
    expect(estimate.knee).toBeNull();
    expect(estimate.kneeReason).not.toBeNull();
    expect(estimate.content).toBeNull();
    expect(estimate.recommendation.level).toBe(1);
  });

  it('prepareSweep defaults', () => {
    const p = prepareSweep({ data });
    expect(p.grid).toEqual([100, 75, 50, 25, 20, 15, 10, 5, 1]);
    expect(p.inputShape).toEqual([8, 8, 3]);
    expect(p.codec.name).toBe('jpeg');
    expect(p).toMatchObject({ epochs: 10, batchSize: 128, optimizer: 'adam', strategy: 'grid', sourceBits: 16, model: 'A', classes: 10, repeats: 3, metric: 'selected', validationFraction: 0.1 });
    expect(prepareSweep({ data, epochs: 'auto' }).budget).toEqual({ epochs: 'auto', patience: 5, maxEpochs: 100 });
  });
});
