import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { syntheticSensorImages } from '../../src/data/synthetic-images.js';
import { useBackend } from '../../src/node/backend.js';
import { estimateNoise, type NodeEstimateNoiseOptions } from '../../src/node/estimate.js';
import { readResultsFile } from '../../src/node/results-file.js';
import type { LevelResult, RunResult } from '../../src/noise/types.js';

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
  repeats: 2,
  backend: 'auto',
};
const accuracies = (levels: LevelResult[]) => levels.map((l) => [l.level, l.runs.map((r) => r.accuracy)]);
const cellsOf = (cells: RunResult[] | undefined) => (cells ?? []).map((c) => `${c.level}/${c.repeat}`).sort();

describe('Node estimateNoise', () => {
  let inProcess: Awaited<ReturnType<typeof estimateNoise>>;

  it('trains in this thread with workers: 1, leaking no tensors', async () => {
    await useBackend('auto');
    const before = tf.memory().numTensors;
    inProcess = await estimateNoise({ ...base, workers: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(inProcess.levels.map((l) => l.level)).toEqual([100, 50, 10]);
    expect(inProcess.trainingsRun).toBe(6);
    expect(inProcess.levels.every((l) => l.runs.length === 2 && l.runs[0].seed !== l.runs[1].seed)).toBe(true);
    expect(inProcess.levels.every((l) => l.accuracyCi[0] <= l.accuracy && l.accuracy <= l.accuracyCi[1])).toBe(true);
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

  it('fits every training item without a validation split (validationFraction 0) and reports the final epoch (metric last)', async () => {
    const before = tf.memory().numTensors;
    const plain = await estimateNoise({ ...base, workers: 1, repeats: 1, validationFraction: 0, metric: 'last' });
    expect(tf.memory().numTensors).toBe(before);
    for (const level of plain.levels) {
      const run = level.runs[0];
      expect(run.accuracy).toBe(run.lastAccuracy);
      expect(run.lastAccuracy).toBe(run.history[run.history.length - 1].testAccuracy ?? run.history[run.history.length - 1].valAccuracy);
      // The test set is the one that picks the epoch: each epoch's validation figures are the test set's.
      for (const epoch of run.history) expect(epoch.testAccuracy ?? epoch.valAccuracy).toBe(epoch.valAccuracy);
      // All 48 training images are fitted: each epoch's training accuracy is a count out of 48.
      for (const epoch of run.history) expect(Math.abs(epoch.accuracy * 48 - Math.round(epoch.accuracy * 48))).toBeLessThan(1e-9);
    }
    expect(plain.metric).toBe('last');
  });

  it('persists each cell, resumes cell by cell without retraining, trains only new repeats, and refuses other settings', async () => {
    const file = path.join(dir, 'sweep.json');
    const controller = new AbortController();
    await expect(
      estimateNoise({
        ...base,
        workers: 1,
        resultsFile: file,
        signal: controller.signal,
        onCellComplete: () => controller.abort(new Error('stop after one cell')),
      }),
    ).rejects.toThrow('stop after one cell');
    const saved = await readResultsFile(file);
    expect(cellsOf(saved?.cells)).toEqual(['100/0']);
    expect(saved?.estimate).toBeNull();

    const resumed = await estimateNoise({ ...base, workers: 2, resultsFile: file });
    expect(resumed.trainingsRun).toBe(5);
    expect(accuracies(resumed.levels)).toEqual(accuracies(inProcess.levels));
    const done = await readResultsFile(file);
    expect(cellsOf(done?.cells)).toEqual(['10/0', '10/1', '100/0', '100/1', '50/0', '50/1']);
    expect(done?.estimate?.knee).toEqual(resumed.knee);

    // Everything finished: a rerun trains nothing; one more repeat trains only the new cells.
    const again = await estimateNoise({ ...base, resultsFile: file });
    expect(again.trainingsRun).toBe(0);
    const more = await estimateNoise({ ...base, repeats: 3, workers: 1, resultsFile: file });
    expect(more.trainingsRun).toBe(3);
    expect(more.levels.every((l) => l.runs.length === 3)).toBe(true);
    // A results file of the format before cells is refused, naming its version.
    const old = path.join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ format: 'helmholtz-ml/results', version: 1, settings: {}, levels: [] }));
    await expect(estimateNoise({ ...base, resultsFile: old })).rejects.toThrow(/old\.json: results file version 1 .*reads version 2/);
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
    await expect(estimateNoise({ ...base, repeats: 0, resultsFile: file })).rejects.toThrow(/repeats must be an integer >= 1/);
    await expect(estimateNoise({ ...base, patience: 2, resultsFile: file })).rejects.toThrow(/patience needs epochs: 'auto'/);
    await expect(estimateNoise({ ...base, validationFraction: 0.7, resultsFile: file })).rejects.toThrow(/validationFraction/);
    await expect(
      estimateNoise({ ...base, workers: 2, model: () => { throw new Error('never built'); } }),
    ).rejects.toThrow(/workers must be 1 \(or "auto"\) with a custom model function/);
    await expect(
      estimateNoise({ ...base, data: { train: data.train, test: { images: data.test.images, labels: data.test.labels.slice(1) } }, resultsFile: file }),
    ).rejects.toThrow(/labels/);
    expect(existsSync(file)).toBe(false);
  });
});
