import { describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { syntheticGuitarEffects } from '../../src/data/synthetic-audio.js';
import { audioFeatures, audioFeaturesToTensor, featureOptionsOf, featureStatistics, fitClipLength, resolveAudioFeatureOptions } from '../../src/audio/features.js';
import { melSpectrogramBatch } from '../../src/audio/mel.js';
import { mp3Codec } from '../../src/codecs/mp3.js';
import { runCell } from '../../src/noise/cell.js';
import { prepareSweep } from '../../src/noise/prepare.js';
import { estimateNoise } from '../../src/noise/estimate.js';
import { coreRunsAudio } from './audio-core-hook.js';
import type { AudioEstimateNoiseOptions } from '../../src/noise/types.js';

// Tiny, fast settings: 0.5 s clips at 16 kHz, 32 mels, n_fft 512, hop 256 -> 32 x 32 features.
const RATE = 16000;
const FEATURES = { nMels: 32, nFft: 512, hopLength: 256, normalize: 'standardize' as const };
const train = syntheticGuitarEffects({ count: 24, seed: 1, duration: 0.5, sampleRate: RATE, effects: ['NoFX', 'Distortion', 'Tremolo'] });
const test = syntheticGuitarEffects({ count: 12, seed: 2, duration: 0.5, sampleRate: RATE, effects: ['NoFX', 'Distortion', 'Tremolo'] });
const data = { train, test };
const base: AudioEstimateNoiseOptions = { modality: 'audio', data, levels: [8, 32, 64], features: FEATURES, modelOptions: { widthMultiplier: 0.125 }, epochs: 1, batchSize: 8, repeats: 1 };

describe('audio features', () => {
  it('defaults to the paper: 96 mels x 173 frames for 2 s at 44.1 kHz, reflect padding, amplitude_to_db', () => {
    const o = resolveAudioFeatureOptions(undefined, 44100, 88200);
    expect(o).toMatchObject({ nMels: 96, nFft: 2048, hopLength: 512, power: 2, padMode: 'reflect', toDb: 'amplitude', normalize: 'none', nFrames: 173, length: 88200 });
    expect(resolveAudioFeatureOptions({ duration: 1 }, 44100, 88200)).toMatchObject({ length: 44100, nFrames: 87 });
  });

  it('turns resolved settings back into options that resolve to them again (featureOptionsOf)', () => {
    for (const [options, rate, length] of [[{ nMels: 40, fMax: 6000, toDb: null, normalize: 'standardize' }, 16000, 12345], [undefined, 44100, 88200], [{ duration: 0.37 }, 22050, 1000]] as const) {
      const resolved = resolveAudioFeatureOptions(options, rate, length);
      const again = featureOptionsOf(resolved);
      expect(again).not.toHaveProperty('sampleRate');
      expect(resolveAudioFeatureOptions(again, rate, 1)).toEqual(resolved);
    }
  });

  it('equals melSpectrogramBatch with the same settings, clips padded or cut to one length', () => {
    const o = resolveAudioFeatureOptions({ nMels: 32, nFft: 512, hopLength: 256 }, RATE, 8000);
    const clips = [train.signals[0], train.signals[1].subarray(0, 5000), new Float32Array(9000).fill(0.1)];
    const batch = audioFeatures(clips, o);
    expect([batch.count, batch.nMels, batch.nFrames]).toEqual([3, 32, 32]);
    const fitted = clips.map((c) => fitClipLength(c, 8000));
    expect(fitted[1].subarray(5000).every((v) => v === 0)).toBe(true);
    const ref = melSpectrogramBatch(fitted, { sampleRate: RATE, nMels: 32, nFft: 512, hopLength: 256, padMode: 'reflect', toDb: 'amplitude' });
    expect(batch.data).toEqual(ref.data);
  });

  it('standardizes with given statistics into a [n, mels, frames, 1] tensor', () => {
    const o = resolveAudioFeatureOptions({ nMels: 32, nFft: 512, hopLength: 256 }, RATE, 8000);
    const batch = audioFeatures(train.signals.slice(0, 4), o);
    const stats = featureStatistics(batch);
    const before = tf.memory().numTensors;
    const x = audioFeaturesToTensor(batch, stats);
    expect(x.shape).toEqual([4, 32, 32, 1]);
    const moments = tf.moments(x);
    expect(moments.mean.dataSync()[0]).toBeCloseTo(0, 4);
    expect(moments.variance.dataSync()[0]).toBeCloseTo(1, 3);
    tf.dispose([x, moments.mean, moments.variance]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects unknown featurizer options by name', () => {
    expect(() => resolveAudioFeatureOptions({ nmels: 64 } as never, RATE, 8000)).toThrow(/features\.nmels is not a featurizer option/);
    expect(() => resolveAudioFeatureOptions({ normalize: 'minmax' as never }, RATE, 8000)).toThrow(/features\.normalize/);
  });
});

describe('prepareSweep (audio): bad input fails before any work', () => {
  const short = syntheticGuitarEffects({ count: 6, seed: 3, duration: 0.5, sampleRate: 22050 });
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['empty train set', { data: { train: { signals: [], labels: [], sampleRate: RATE }, test } }, /data\.train\.signals must not be empty/],
    ['empty test set', { data: { train, test: { signals: [], labels: [], sampleRate: RATE } } }, /data\.test\.signals must not be empty/],
    ['labels not matching clips', { data: { train: { ...train, labels: train.labels.slice(1) }, test } }, /24 clips but 23 labels/],
    ['different sample rates', { data: { train, test: short } }, /data\.train\.sampleRate and data\.test\.sampleRate must be equal.*16000 and 22050/],
    ['a clip that is not a Float32Array', { data: { train: { ...train, signals: [Array.from(train.signals[0]), ...train.signals.slice(1)] }, test } }, /data\.train\.signals\[0\] must be a Float32Array/],
    ['a non-finite sample', { data: { train, test: { ...test, signals: [new Float32Array([0, NaN]), ...test.signals.slice(1)] } } }, /data\.test\.signals\[0\]/],
    ['one class', { data: { train: { ...train, labels: train.labels.map(() => 0) }, test } }, /at least 2 classes/],
    ['fewer than 3 levels', { levels: [8, 160] }, /at least 3 levels/],
    ['an unknown bitrate', { levels: [8, 100, 160] }, /levels\[1\] must be one of the kbps valid for mp3 at 16000 Hz.*got 100/],
    ['a bitrate LAME cannot honour at the sample rate', { levels: [8, 160, 320] }, /levels\[2\] must be one of the kbps valid for mp3 at 16000 Hz \(8, 16, .*, 144, 160\), got 320/],
    ['an image codec', { codec: 'jpeg' }, /codec "jpeg" compresses image, but modality is "audio"/],
    ['repeats below 1', { repeats: 0 }, /repeats must be an integer >= 1/],
    ['a bitrate out of range', { levels: [8, 32, 640] }, /levels\[2\]/],
    ['duplicate levels', { levels: [8, 32, 32] }, /distinct/],
    ['image data', { data: { train: { images: [], labels: [] }, test } }, /modality "audio" takes \{ signals, sampleRate, labels \}/],
    ['clips too short for the model', { features: { ...FEATURES, hopLength: 512 } }, /32 x 16 input.*too small for audio model A/],
    ['augmentation', { augment: true }, /augment must be false for audio/],
    ['bad featurizer option', { features: { nMels: 0 } }, /features\.nMels/],
    ['bad model', { model: 'Z' }, /model/],
    ['bad optimizer', { optimizer: 'sgd' }, /optimizer/],
  ];
  for (const [name, patch, message] of cases) {
    it(name, () => {
      expect(() => prepareSweep({ ...base, ...patch } as AudioEstimateNoiseOptions)).toThrow(message);
    });
  }

  it('sorts the grid by Q, normalizes Q over the bitrates and uses the paper defaults', () => {
    const p = prepareSweep({ modality: 'audio', data, features: FEATURES });
    expect(p.codec.name).toBe('mp3');
    expect(p.grid).toEqual([160, 128, 96, 64, 32, 16, 8]);
    expect(p.gridQ[0]).toBe(0);
    expect(p.gridQ[p.gridQ.length - 1]).toBe(1);
    expect(p.gridQ[p.grid.indexOf(64)]).toBeCloseTo(96 / 152, 12);
    expect(p).toMatchObject({ batchSize: 50, measureSamples: 8, sourceBits: 160000, inputShape: [32, 32, 1], classes: 3 });
    expect(p.data.context.sampleRate).toBe(RATE);
  });
});

describe('runCell (audio)', () => {
  it('compresses, featurizes, trains one cell, measures the MP3 stream and leaks no tensors', async () => {
    await tf.setBackend('cpu');
    const prepared = prepareSweep({ ...base, measureSamples: 2 });
    expect(prepared.gridQ[prepared.grid.indexOf(32)]).toBeCloseTo((64 - 32) / (64 - 8), 12);
    const before = tf.memory().numTensors;
    const events: string[] = [];
    const result = await runCell(prepared, { level: 32, repeat: 0 }, { levelIndex: 0, levelCount: 1, onProgress: (e) => events.push(e.phase) });
    expect(tf.memory().numTensors).toBe(before);
    expect(events).toEqual(['compress', 'train']);
    expect(result.level).toBe(32);
    expect(result.history).toHaveLength(1);
    expect(result.history[0]).toHaveProperty('testAccuracy');
    expect(result.testCount).toBe(12);
    expect(result.bits).toMatchObject({ unit: 'bits/s', nominal: 32000 });
    // CBR at 32 kbps: the stream is within a frame or two of 32 kbit/s per second of audio.
    expect(result.bits.measured).toBeGreaterThan(28000);
    expect(result.bits.measured).toBeLessThan(48000);
  });

  it('measures the stream size and the model sees the compressed clips', async () => {
    const o = resolveAudioFeatureOptions({ nMels: 32, nFft: 512, hopLength: 256 }, RATE, 8000);
    const clips = train.signals.slice(0, 2).map((s) => fitClipLength(s, 8000));
    const low = audioFeatures((await mp3Codec.roundTrip({ signals: clips, sampleRate: RATE }, 8)).signals, o);
    const clean = audioFeatures(clips, o);
    expect(low.data).not.toEqual(clean.data);
    expect((await mp3Codec.measureBits({ signals: [], sampleRate: RATE }, 8, {})).measured).toBeNaN();
  });
});

describe.skipIf(!coreRunsAudio)('estimateNoise({ modality: "audio" })', () => {
  it('runs a tiny sweep on the cpu backend: structure, Q mapping, bits per second, no leaked tensors', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const phases: string[] = [];
    const estimate = await estimateNoise({ ...base, epochs: 2, measureSamples: 2, onProgress: (e) => phases.push(e.phase) });
    expect(tf.memory().numTensors).toBe(before);
    expect(estimate.modality).toBe('audio');
    expect(estimate.levels.map((l) => l.level)).toEqual([64, 32, 8]);
    expect(estimate.levels.map((l) => l.Q)).toEqual([0, (64 - 32) / (64 - 8), 1]);
    for (const l of estimate.levels) {
      expect(l.runs[0].history).toHaveLength(2);
      expect(l.accuracy).toBeGreaterThanOrEqual(0);
      expect(l.accuracy).toBeLessThanOrEqual(1);
      expect(l.bits.nominal).toBe(l.level * 1000);
      expect(l.bits.measured).toBeGreaterThan(0.8 * l.level * 1000);
      expect(l.testCount).toBe(12);
    }
    expect(estimate).toMatchObject({ trainCount: 24, testCount: 12, classes: 3, sourceBits: 64000, trainingsRun: 3, strategy: 'grid' });
    expect([64, 32, 8]).toContain(estimate.recommendation.level);
    expect(estimate.recommendation.reason).toMatch(/kbps/);
    expect(Number.isFinite(estimate.theory.offset) && Number.isFinite(estimate.theory.scale)).toBe(true);
    if (estimate.knee) expect(estimate.content?.paper).toBe(estimate.knee.level * 1000);
    else expect(estimate.content).toBeNull();
    expect(phases).toContain('compress');
    expect(phases[phases.length - 1]).toBe('done');
  });

  it('rejects bad input before any work', async () => {
    const onProgress = vi.fn();
    await expect(estimateNoise({ ...base, levels: [8, 100, 160], onProgress })).rejects.toThrow(/levels\[1\] must be one of the kbps valid for mp3/);
    await expect(estimateNoise({ ...base, data: { train, test: { ...test, sampleRate: 22050 } }, onProgress })).rejects.toThrow(/sampleRate must be equal/);
    expect(onProgress).not.toHaveBeenCalled();
  });
});
