import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImageModel } from '../../src/models/image.js';
import { convergenceWindow, epochsToConverge, selectEpoch } from '../../src/models/metrics.js';
import { trainClassifier, type EpochLog, type LabeledTensors, type TrainOptions, type TrainResult } from '../../src/models/train.js';
import { useBackend } from '../../src/node/backend.js';
import { loadFashion } from './fashion.js';

let train: LabeledTensors;
let test: LabeledTensors;
let backend: string;

beforeAll(async () => {
  backend = await useBackend('auto');
  train = loadFashion('train'); // 500 images
  test = loadFashion('test'); // 200 images
});
afterAll(() => {
  tf.dispose([train.x, train.y, test.x, test.y]);
});

const slice = (d: LabeledTensors, n: number): LabeledTensors => ({
  x: tf.slice(d.x, 0, n) as tf.Tensor4D,
  y: tf.slice(d.y, 0, n) as tf.Tensor2D,
});
const strip = (h: EpochLog[]): Omit<EpochLog, 'seconds'>[] => h.map(({ seconds: _, ...rest }) => rest);
const tiny = (seed = 0): ReturnType<typeof buildImageModel> =>
  buildImageModel('A', { inputShape: [28, 28, 1], widthMultiplier: 0.125, seed });

describe('trainClassifier', () => {
  it('trains a small model A on real Fashion-MNIST far above chance, the validation set picking the epoch (bar)', async () => {
    const fit = { x: tf.slice(train.x, 0, 450) as tf.Tensor4D, y: tf.slice(train.y, 0, 450) as tf.Tensor2D };
    const val = { x: tf.slice(train.x, 450, 50) as tf.Tensor4D, y: tf.slice(train.y, 450, 50) as tf.Tensor2D };
    const model = buildImageModel('A', { inputShape: [28, 28, 1], widthMultiplier: 0.25 });
    const optimizer = tf.train.adam(0.003);
    const result = await trainClassifier(model, { train: fit, validation: val, test, epochs: 8, batchSize: 32, optimizer });
    model.dispose();
    optimizer.dispose();
    tf.dispose([fit.x, fit.y, val.x, val.y]);
    const accuracies = result.history.map((h) => `${h.valAccuracy.toFixed(2)}/${h.testAccuracy?.toFixed(3)}`).join(' ');
    console.log(`[bar] backend ${backend}: accuracy ${result.accuracy.toFixed(3)} (epoch ${result.selectedEpoch}), ` +
      `last ${result.lastAccuracy.toFixed(3)}, best ${result.bestAccuracy.toFixed(3)}, paper (top-10 mean) ${result.paperAccuracy.toFixed(3)}, ` +
      `${result.seconds.toFixed(1)} s; per epoch validation/test: ${accuracies}`);
    expect(result.history).toHaveLength(8);
    expect(result.epochsRun).toBe(8);
    expect(result.bestAccuracy).toBeGreaterThanOrEqual(0.55); // chance is 0.1
    expect(result.lastAccuracy).toBeGreaterThanOrEqual(0.5);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.5);
    const test_ = result.history.map((h) => h.testAccuracy as number);
    expect(test_.every((a) => a >= 0 && a <= 1)).toBe(true);
    expect(result.selectedEpoch).toBe(selectEpoch(result.history));
    expect(result.accuracy).toBe(test_[result.selectedEpoch - 1]);
    expect(result.lastAccuracy).toBe(test_[7]);
    expect(result.bestAccuracy).toBe(Math.max(...test_));
    expect(result.paperAccuracy).toBeCloseTo(test_.reduce((s, a) => s + a, 0) / 8, 12); // fewer than 10 epochs: all of them
    expect(result.epochsToConverge).toBe(epochsToConverge(result.history));
    expect(result.epochsToConverge).not.toBeNull();
    expect(result.stillImproving).toBe(result.selectedEpoch > 8 - convergenceWindow(8));
    expect(result.history[0].loss).toBeGreaterThan(result.history[7].loss);
  }, 600_000);

  it('is deterministic for a seed, leaks no tensor, and reports every batch', async () => {
    const small = slice(train, 64);
    const val = slice(test, 32);
    const val2 = { x: tf.slice(test.x, 100, 20) as tf.Tensor4D, y: tf.slice(test.y, 100, 20) as tf.Tensor2D };
    const start = tf.memory().numTensors;
    const run = async (seed: number): Promise<EpochLog[]> => {
      const model = tiny();
      const batches: string[] = [];
      const epochs: number[] = [];
      const r = await trainClassifier(model, {
        train: small, validation: val, test: val2, epochs: 2, batchSize: 24, seed, augment: true, optimizer: 'paper-image',
        onBatchEnd: (b, n) => batches.push(`${b}/${n}`),
        onEpochEnd: async (log) => {
          epochs.push(log.epoch);
        },
      });
      model.dispose();
      expect(batches).toEqual(['1/3', '2/3', '3/3', '1/3', '2/3', '3/3']);
      expect(epochs).toEqual([1, 2]);
      return r.history;
    };
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(strip(a)).toEqual(strip(b));
    expect(strip(a)).not.toEqual(strip(c));
    expect(a.every((log) => log.testAccuracy !== undefined && log.testLoss !== undefined)).toBe(true);
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([small.x, small.y, val.x, val.y, val2.x, val2.y]);
  }, 600_000);

  it('aborts on its signal with an AbortError and leaks nothing', async () => {
    const start = tf.memory().numTensors;
    const model = tiny();
    const controller = new AbortController();
    const promise = trainClassifier(model, {
      train, validation: test, epochs: 5, batchSize: 50, signal: controller.signal,
      onBatchEnd: (b) => {
        if (b === 2) controller.abort();
      },
    });
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
    const already = new AbortController();
    already.abort();
    const model2 = tiny();
    await expect(trainClassifier(model2, { train, validation: test, epochs: 1, signal: already.signal })).rejects.toThrow(/aborted/);
    model2.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it("epochs: 'auto' stops after patience epochs without a better validation accuracy, at most maxEpochs", async () => {
    const small = slice(train, 16);
    const val = slice(test, 40);
    const start = tf.memory().numTensors;
    // A learning rate of 0: validation accuracy never improves after epoch 1.
    const frozen = tf.train.sgd(0);
    const once = async (options: Partial<TrainOptions>): Promise<TrainResult> => {
      const model = tiny();
      try {
        return await trainClassifier(model, { train: small, validation: val, epochs: 'auto', batchSize: 16, optimizer: frozen, ...options });
      } finally {
        model.dispose();
      }
    };
    const auto = await once({ patience: 2 });
    expect(auto.history[0].valAccuracy).toBeGreaterThan(0);
    expect(auto.epochsRun).toBe(3);
    expect(auto.history).toHaveLength(3);
    expect(auto.selectedEpoch).toBe(1);
    expect(auto.stillImproving).toBe(false);
    expect(auto.accuracy).toBe(auto.history[0].valAccuracy); // no test set: validation is the test set
    expect(auto.history[0].testAccuracy).toBeUndefined();
    expect((await once({})).epochsRun).toBe(6); // default patience 5
    expect((await once({ patience: 10, maxEpochs: 4 })).epochsRun).toBe(4);
    // The deprecated earlyStopping is epochs: 'auto' with maxEpochs = epochs.
    expect((await once({ epochs: 40, earlyStopping: { patience: 2 } })).epochsRun).toBe(3);
    expect((await once({ epochs: 2, earlyStopping: { patience: 5 } })).epochsRun).toBe(2);
    frozen.dispose();
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([small.x, small.y, val.x, val.y]);
  }, 600_000);

  it('rejects bad options', async () => {
    const model = tiny();
    const bad = { x: train.x, y: test.y };
    await expect(trainClassifier(model, { train, validation: test, epochs: 0 })).rejects.toThrow(/epochs must be 'auto' or an integer >= 1, got 0/);
    await expect(trainClassifier(model, { train, validation: test, epochs: 'all' as 'auto' })).rejects.toThrow(/epochs must be 'auto'/);
    await expect(trainClassifier(model, { train, validation: test, epochs: 5, patience: 3 })).rejects.toThrow(
      /patience is only allowed with epochs: 'auto', got patience 3 with epochs 5/);
    await expect(trainClassifier(model, { train, validation: test, epochs: 5, maxEpochs: 30 })).rejects.toThrow(/maxEpochs is only allowed with epochs: 'auto'/);
    await expect(trainClassifier(model, { train, validation: test, epochs: 'auto', patience: 0 })).rejects.toThrow(/patience must be an integer/);
    await expect(trainClassifier(model, { train, validation: test, epochs: 'auto', maxEpochs: 1.5 })).rejects.toThrow(/maxEpochs must be an integer/);
    await expect(
      trainClassifier(model, { train, validation: test, epochs: 'auto', earlyStopping: { patience: 2 } }),
    ).rejects.toThrow(/earlyStopping cannot be combined/);
    await expect(trainClassifier(model, { train, validation: test, test: bad, epochs: 1 })).rejects.toThrow(/test must hold/);
    await expect(trainClassifier(model, { train: bad, validation: test, epochs: 1 })).rejects.toThrow(/500 images and 200 labels/);
    await expect(trainClassifier(model, { train, validation: test, epochs: 1, batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(
      trainClassifier(model, { train, validation: test, epochs: 1, optimizer: 'sgd' as 'adam' }),
    ).rejects.toThrow(/optimizer must be/);
    model.dispose();
  });
});

describe('trainClassifier on the cpu backend', () => {
  it('gives the same history as the default backend for the same seed (1 epoch, 32 images)', async () => {
    const small = slice(train, 32);
    const val = slice(test, 64);
    const once = async (): Promise<EpochLog[]> => {
      const model = buildImageModel('A', { inputShape: [28, 28, 1], widthMultiplier: 0.25 });
      const r = await trainClassifier(model, { train: small, validation: val, epochs: 1, batchSize: 32, seed: 3 });
      model.dispose();
      return r.history;
    };
    const fast = await once();
    expect(await useBackend('cpu')).toBe('cpu');
    const t0 = performance.now();
    const cpu = await once();
    console.log(`[cpu] 1 epoch of 32 images (A, width 0.25): ${((performance.now() - t0) / 1000).toFixed(1)} s on cpu, ` +
      `${fast[0].seconds.toFixed(1)} s on ${backend}`);
    await useBackend(backend as 'auto');
    tf.dispose([small.x, small.y, val.x, val.y]);
    expect(cpu[0].valAccuracy).toBeCloseTo(fast[0].valAccuracy, 2);
    expect(cpu[0].loss).toBeCloseTo(fast[0].loss, 3);
  }, 600_000);
});
