import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { syntheticSensorImages } from '../../src/data/synthetic-images.js';
import { useBackend } from '../../src/node/backend.js';
import { estimateNoise, type NodeEstimateNoiseOptions } from '../../src/node/estimate.js';
import { readResultsFile } from '../../src/node/results-file.js';
import type { LevelResult } from '../../src/noise/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hh-estimate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = {
  train: syntheticSensorImages({ count: 48, size: 8, classes: 3, noise: 4, seed: 1 }),
  test: syntheticSensorImages({ count: 24, size: 8, classes: 3, noise: 4, seed: 2 }),
};
const base: NodeEstimateNoiseOptions = {
  data,
  levels: [10, 50, 100],
  modelOptions: { widthMultiplier: 0.125 },
  epochs: 2,
  batchSize: 16,
  seed: 5,
  backend: 'auto',
};
const accuracies = (levels: LevelResult[]) => levels.map((l) => [l.level, l.accuracy]);

describe('Node estimateNoise', () => {
  let inProcess: Awaited<ReturnType<typeof estimateNoise>>;

  it('trains in this thread with workers: 1, leaking no tensors', async () => {
    await useBackend('auto');
    const before = tf.memory().numTensors;
    inProcess = await estimateNoise({ ...base, workers: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(inProcess.levels.map((l) => l.level)).toEqual([100, 50, 10]);
    expect(inProcess.trainingsRun).toBe(3);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(inProcess.backend);
  });

  it('gives the same results on 2 worker threads, forwarding progress', async () => {
    const events: string[] = [];
    const parallel = await estimateNoise({ ...base, workers: 2, onProgress: (e) => events.push(`${e.phase}:${e.level}:${e.epoch ?? ''}`) });
    expect(accuracies(parallel.levels)).toEqual(accuracies(inProcess.levels));
    expect(parallel.backend).toBe(inProcess.backend);
    expect(events).toContain('train:50:2');
    expect(events).toContain('compress:10:');
    expect(events[events.length - 1]).toMatch(/^done:/);
  });

  it('persists each level, resumes after an interruption without retraining, and refuses other settings', async () => {
    const file = path.join(dir, 'sweep.json');
    const controller = new AbortController();
    await expect(
      estimateNoise({
        ...base,
        workers: 1,
        resultsFile: file,
        signal: controller.signal,
        onLevelComplete: () => controller.abort(new Error('stop after one level')),
      }),
    ).rejects.toThrow('stop after one level');
    const saved = await readResultsFile(file);
    expect(saved?.levels.map((l) => l.level)).toEqual([100]);
    expect(saved?.estimate).toBeNull();

    const resumed = await estimateNoise({ ...base, workers: 2, resultsFile: file });
    expect(resumed.trainingsRun).toBe(2);
    expect(accuracies(resumed.levels)).toEqual(accuracies(inProcess.levels));
    const done = await readResultsFile(file);
    expect(done?.levels.map((l) => l.level).sort((a, b) => a - b)).toEqual([10, 50, 100]);
    expect(done?.estimate?.knee).toEqual(resumed.knee);

    // Everything finished: a rerun trains nothing.
    const again = await estimateNoise({ ...base, resultsFile: file });
    expect(again.trainingsRun).toBe(0);
    // Other settings: refused before any training, naming the key.
    await expect(estimateNoise({ ...base, epochs: 3, resultsFile: file })).rejects.toThrow(/made with other settings \(epochs is 2 in the file, 3 now\)/);
    await expect(estimateNoise({ ...base, modelOptions: { widthMultiplier: 0.25 }, resultsFile: file })).rejects.toThrow(
      /modelOptions\.widthMultiplier is 0\.125 in the file, 0\.25 now/,
    );
  });

  it('checks its own options and the core ones before touching files or starting workers', async () => {
    const file = path.join(dir, 'never.json');
    await expect(estimateNoise({ ...base, backend: 'gpu' as never, resultsFile: file })).rejects.toThrow(/backend must be one of "auto", "tensorflow", "wasm", "cpu", got "gpu"/);
    await expect(estimateNoise({ ...base, workers: 0, resultsFile: file })).rejects.toThrow(/workers must be an integer in 1\.\.1024, got 0/);
    await expect(estimateNoise({ ...base, threads: 0, resultsFile: file })).rejects.toThrow(/threads must be an integer in 1\.\.256, got 0/);
    await expect(estimateNoise({ ...base, levels: [10, 100], resultsFile: file })).rejects.toThrow(RangeError);
    await expect(
      estimateNoise({ ...base, workers: 2, model: () => { throw new Error('never built'); } }),
    ).rejects.toThrow(/workers must be 1 \(or "auto"\) with a custom model function/);
    await expect(
      estimateNoise({ ...base, data: { train: data.train, test: { images: data.test.images, labels: data.test.labels.slice(1) } }, resultsFile: file }),
    ).rejects.toThrow(/labels/);
    expect(existsSync(file)).toBe(false);
  });
});
