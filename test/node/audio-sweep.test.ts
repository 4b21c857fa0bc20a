import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { syntheticGuitarEffects } from '../../src/data/synthetic-audio.js';
import { prepareSweep } from '../../src/noise/prepare.js';
import { dataFingerprint, shareData } from '../../src/node/share.js';
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
  repeats: 1,
  backend: 'cpu',
};

describe('shared clips', () => {
  it('shares the prepared clips on one SharedArrayBuffer per split', () => {
    const prepared = prepareSweep(base as never);
    const shared = shareData(prepared.data) as unknown as { train: { signals: Float32Array[] } };
    expect(shared.train.signals[0].buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.train.signals[1].buffer).toBe(shared.train.signals[0].buffer);
    expect(shared.train.signals).toEqual((prepared.data.train as { signals: Float32Array[] }).signals);
  });

  it('fingerprints the clips: other data, other fingerprint', () => {
    const a = dataFingerprint(prepareSweep(base as never).data);
    const b = dataFingerprint(prepareSweep({ ...base, data: { train, test: syntheticGuitarEffects({ count: 9, seed: 3, duration: 0.5, sampleRate: RATE, effects }) } } as never).data);
    expect(a.sha256).not.toBe(b.sha256);
    expect(dataFingerprint(prepareSweep(base as never).data)).toEqual(a);
  });
});

describe.skipIf(!coreRunsAudio)('Node estimateNoise, audio', () => {
  it('sweeps in this thread (MP3 round trips on worker threads), leaks no tensors, writes a resumable results file', async () => {
    await useBackend('cpu');
    const before = tf.memory().numTensors;
    const file = path.join(dir, 'audio.json');
    const estimate = await estimateNoise({ ...base, workers: 1, resultsFile: file });
    expect(tf.memory().numTensors).toBe(before);
    expect(estimate.modality).toBe('audio');
    expect(estimate.levels.map((l) => [l.level, l.Q])).toEqual([[64, 0], [32, (64 - 32) / 56], [8, 1]]);
    expect(estimate.levels.every((l) => l.bits.nominal === l.level * 1000 && l.bits.measured > 0)).toBe(true);
    const saved = await readResultsFile(file);
    expect(saved?.settings).toMatchObject({ modality: 'audio', features: { nMels: 32, hopLength: 256, normalize: 'standardize' } });
    expect(saved?.cells).toHaveLength(3);
    // Resume: nothing left to train.
    const again = await estimateNoise({ ...base, workers: 1, resultsFile: file });
    expect(again.trainingsRun).toBe(0);
    expect(again.levels.map((l) => l.accuracy)).toEqual(estimate.levels.map((l) => l.accuracy));
    // Other features: refused.
    await expect(estimateNoise({ ...base, features: { nMels: 24, nFft: 512, hopLength: 256 }, workers: 1, resultsFile: file })).rejects.toThrow(/other settings/);
  });

  it('trains cells on worker threads, the same results as in this thread', async () => {
    const inThread = await estimateNoise({ ...base, workers: 1 });
    const pooled = await estimateNoise({ ...base, workers: 2 });
    expect(pooled.levels.map((l) => [l.level, l.accuracy])).toEqual(inThread.levels.map((l) => [l.level, l.accuracy]));
    expect(pooled.backend).toBe('cpu');
  });
});
