import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { syntheticGuitarEffects } from '../../src/data/synthetic-audio.js';
import { compressAndFeaturize, prepareAudioEstimate } from '../../src/noise/audio-sweep.js';
import { audioDataFingerprint, createAudioFeaturizerPool, shareAudioDataset, shareSignals, unshareSignals } from '../../src/node/audio-sweep.js';
import { useBackend } from '../../src/node/backend.js';
import { estimateNoise, type NodeEstimateNoiseOptions } from '../../src/node/estimate.js';
import { readResultsFile } from '../../src/node/results-file.js';
import { coreRunsAudio } from '../noise/audio-core-hook.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hh-audio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RATE = 16000;
const effects = ['NoFX', 'Distortion', 'Tremolo'] as const;
const train = syntheticGuitarEffects({ count: 18, seed: 1, duration: 0.5, sampleRate: RATE, effects });
const test = syntheticGuitarEffects({ count: 9, seed: 2, duration: 0.5, sampleRate: RATE, effects });
const base: NodeEstimateNoiseOptions = {
  modality: 'audio',
  data: { train, test },
  levels: [8, 32, 64],
  features: { nMels: 32, nFft: 512, hopLength: 256, normalize: 'standardize' },
  modelOptions: { widthMultiplier: 0.125 },
  epochs: 1,
  batchSize: 8,
  measureSamples: 1,
  backend: 'cpu',
};

describe('shared clips', () => {
  it('round-trips clips and labels through one SharedArrayBuffer', () => {
    const shared = shareSignals({ signals: train.signals.slice(0, 3), sampleRate: RATE, labels: train.labels.slice(0, 3) });
    expect(shared.samples.buffer).toBeInstanceOf(SharedArrayBuffer);
    const back = unshareSignals(shared);
    expect(back.signals).toEqual(train.signals.slice(0, 3));
    expect(back.labels).toEqual(train.labels.slice(0, 3));
    expect(() => shareSignals({ signals: [new Float32Array(3), new Float32Array(4)], sampleRate: RATE, labels: [0, 1] })).toThrow(/signals\[1\] has 4 samples, expected 3/);
  });

  it('fingerprints the clips: other data, other fingerprint', () => {
    const a = audioDataFingerprint(prepareAudioEstimate(base as never));
    const b = audioDataFingerprint(prepareAudioEstimate({ ...base, data: { train, test: syntheticGuitarEffects({ count: 9, seed: 3, duration: 0.5, sampleRate: RATE, effects }) } } as never));
    expect(a).toMatchObject({ train: 18, test: 9 });
    expect(a.sha256).not.toBe(b.sha256);
    expect(audioDataFingerprint(prepareAudioEstimate(base as never))).toEqual(a);
  });
});

describe('worker-thread featurizer', () => {
  it('computes the same features as one thread, in clip order', async () => {
    const prepared = prepareAudioEstimate(base as never);
    const pool = createAudioFeaturizerPool(prepared, shareAudioDataset(prepared), { workers: 2 });
    try {
      const parallel = await pool.featurize('test', 8);
      const serial = await compressAndFeaturize(prepared.test.signals, RATE, 8, prepared.features);
      expect([parallel.count, parallel.nMels, parallel.nFrames]).toEqual([9, 32, 32]);
      expect(parallel.data).toEqual(serial.data);
    } finally {
      await pool.close();
    }
  });
});

describe.skipIf(!coreRunsAudio)('Node estimateNoise, audio', () => {
  it('sweeps in this thread (features on worker threads), leaks no tensors, writes a resumable results file', async () => {
    await useBackend('cpu');
    const before = tf.memory().numTensors;
    const file = path.join(dir, 'audio.json');
    const estimate = await estimateNoise({ ...base, workers: 1, resultsFile: file });
    expect(tf.memory().numTensors).toBe(before);
    expect(estimate.modality).toBe('audio');
    expect(estimate.levels.map((l) => [l.level, l.Q])).toEqual([[64, 0], [32, (64 - 32) / 56], [8, 1]]);
    expect(estimate.levels.every((l) => l.bitsPerSecond?.nominal === l.level * 1000 && l.bitsPerSecond.measured > 0)).toBe(true);
    const saved = await readResultsFile(file);
    expect(saved?.settings).toMatchObject({ modality: 'audio', features: { nMels: 32, hopLength: 256, normalize: 'standardize' } });
    expect(saved?.levels).toHaveLength(3);
    // Resume: nothing left to train.
    const again = await estimateNoise({ ...base, workers: 1, resultsFile: file });
    expect(again.trainingsRun).toBe(0);
    expect(again.levels.map((l) => l.accuracy)).toEqual(estimate.levels.map((l) => l.accuracy));
    // Other features: refused.
    await expect(estimateNoise({ ...base, features: { nMels: 24, nFft: 512, hopLength: 256 }, workers: 1, resultsFile: file })).rejects.toThrow(/other settings/);
  });

  it('trains levels on worker threads, the same results as in this thread', async () => {
    const inThread = await estimateNoise({ ...base, workers: 1 });
    const pooled = await estimateNoise({ ...base, workers: 2 });
    expect(pooled.levels.map((l) => [l.level, l.accuracy])).toEqual(inThread.levels.map((l) => [l.level, l.accuracy]));
    expect(pooled.backend).toBe('cpu');
  });
});
