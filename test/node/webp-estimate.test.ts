import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { syntheticSensorImages } from '../../src/data/synthetic-images.js';
import { useBackend } from '../../src/node/backend.js';
import { estimateNoise, type NodeEstimateNoiseOptions } from '../../src/node/estimate.js';
import { readResultsFile } from '../../src/node/results-file.js';
import type { LevelResult } from '../../src/noise/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hh-webp-estimate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base: NodeEstimateNoiseOptions = {
  data: {
    train: syntheticSensorImages({ count: 36, size: 8, classes: 3, noise: 4, seed: 1 }),
    test: syntheticSensorImages({ count: 18, size: 8, classes: 3, noise: 4, seed: 2 }),
  },
  codec: 'webp',
  levels: [0, 50, 100],
  modelOptions: { widthMultiplier: 0.125 },
  epochs: 1,
  batchSize: 12,
  seed: 4,
  repeats: 1,
  backend: 'auto',
};
const figures = (levels: LevelResult[]) => levels.map((l) => [l.level, l.runs.map((r) => r.accuracy), l.bits.measured]);

describe("Node estimateNoise({ codec: 'webp' })", () => {
  it('gives the same cells in this thread and on 2 worker threads (libwebp loads in workers), records the codec', async () => {
    await useBackend('auto');
    const before = tf.memory().numTensors;
    const file = path.join(dir, 'webp.json');
    const inThread = await estimateNoise({ ...base, workers: 1, resultsFile: file });
    expect(tf.memory().numTensors).toBe(before);
    expect(inThread.codec).toBe('webp');
    expect(inThread.levels.every((l) => l.bits.measured > 0 && l.bits.paper === undefined)).toBe(true);

    const workers = await estimateNoise({ ...base, workers: 2 });
    expect(figures(workers.levels)).toEqual(figures(inThread.levels));

    const saved = await readResultsFile(file);
    expect((saved?.settings as { codec?: string }).codec).toBe('webp');
    expect(saved?.estimate?.codec).toBe('webp');
    // Resuming with another codec is refused before any training, naming the key.
    await expect(estimateNoise({ ...base, codec: 'jpeg', levels: [1, 50, 100], resultsFile: file })).rejects.toThrow(/other settings \(codec is "?webp"? in the file, "?jpeg"? now\)/);
    const again = await estimateNoise({ ...base, resultsFile: file });
    expect(again.trainingsRun).toBe(0);
  });

  it('refuses a WebP level outside 0..100 before touching the results file', async () => {
    const file = path.join(dir, 'never.json');
    await expect(estimateNoise({ ...base, levels: [0, 50, 101], resultsFile: file })).rejects.toThrow(/levels\[2\] must be an integer in 0\.\.100, got 101 \(each level is a WebP quality\)/);
    expect(await readResultsFile(file)).toBeNull();
  });
});
