import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImageModel } from '../../src/models/image.js';
import { createTrainStep, evaluateClassifier } from '../../src/models/train-step.js';
import { useBackend } from '../../src/node/backend.js';
import { loadFashion } from './fashion.js';
import type { LabeledTensors } from '../../src/models/train.js';

// "Same" for the lean step: on one backend, from the same weights with the same dropout masks,
// its loss trajectory equals tfjs-layers' compile + trainOnBatch within 1e-5 (relative) over 4
// Adam steps of 8 images and every weight agrees within 1e-5: float rounding, far inside a training's noise
// (two seeds differ by about 0.01-0.02 in test accuracy).
const TOLERANCE = 1e-5;

let data: LabeledTensors;
let backend: string;
beforeAll(async () => {
  backend = await useBackend('auto');
  data = loadFashion('train', 80);
});
afterAll(() => tf.dispose([data.x, data.y]));

const build = (): LayersModel => buildImageModel('A', { inputShape: [28, 28, 1], widthMultiplier: 0.125, seed: 4 });
const setDropoutSeeds = (model: LayersModel, seed: number): void => {
  for (const layer of model.layers) if (layer.getClassName() === 'Dropout') (layer as unknown as { seed?: number }).seed = seed + layer.name.length;
};
const batch = (i: number): [tf.Tensor4D, tf.Tensor2D] => [tf.slice(data.x, i * 8, 8), tf.slice(data.y, i * 8, 8)];

async function trajectories(): Promise<{ layers: number[]; lean: number[]; correct: number[]; layersAcc: number[]; weightDiff: number }> {
  const a = build();
  const b = build();
  const optA = tf.train.adam(1e-3);
  const optB = tf.train.adam(1e-3);
  a.compile({ optimizer: optA, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const step = createTrainStep(b, optB);
  const layers: number[] = [];
  const layersAcc: number[] = [];
  const lean: number[] = [];
  const correct: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = batch(i);
    setDropoutSeeds(a, 100 + i);
    setDropoutSeeds(b, 100 + i);
    const [loss, acc] = (await a.trainOnBatch(x, y)) as number[];
    layers.push(loss);
    layersAcc.push(acc);
    const r = step(x, y);
    lean.push((await r.loss.data())[0]);
    correct.push((await r.correct.data())[0]);
    tf.dispose([x, y, r.loss, r.correct]);
  }
  let weightDiff = 0;
  const wa = a.getWeights();
  const wb = b.getWeights();
  for (let i = 0; i < wa.length; i++) weightDiff = Math.max(weightDiff, tf.tidy(() => tf.max(tf.abs(tf.sub(wa[i], wb[i]))).dataSync()[0]));
  a.dispose();
  b.dispose();
  optA.dispose();
  optB.dispose();
  return { layers, lean, correct, layersAcc, weightDiff };
}

describe('createTrainStep', () => {
  it("follows tfjs-layers' trainOnBatch step for step on the cpu backend and on the default backend", async () => {
    const start = tf.memory().numTensors;
    for (const name of ['cpu', backend] as const) {
      await useBackend(name as 'cpu');
      const t = await trajectories();
      console.log(`[lean step, ${name}] layers ${t.layers.map((l) => l.toFixed(6)).join(' ')}; lean ${t.lean.map((l) => l.toFixed(6)).join(' ')}; max weight difference ${t.weightDiff.toExponential(1)}`);
      for (let i = 0; i < 4; i++) {
        expect(Math.abs(t.lean[i] - t.layers[i]) / t.layers[i]).toBeLessThanOrEqual(TOLERANCE);
        expect(t.correct[i] / 8).toBeCloseTo(t.layersAcc[i], 6);
      }
      expect(t.lean[3]).not.toBe(t.lean[0]); // it trains
      expect(t.weightDiff).toBeLessThanOrEqual(TOLERANCE);
      expect(tf.memory().numTensors).toBe(start);
    }
    await useBackend(backend as 'auto');
  }, 600_000);
});

describe('evaluateClassifier', () => {
  it("gives tfjs-layers' evaluate figures in any batch size, and leaks nothing", async () => {
    const model = build();
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const [loss, accuracy] = (model.evaluate(data.x, data.y, { batchSize: 32 }) as tf.Scalar[]).map((s) => {
      const v = s.dataSync()[0];
      s.dispose();
      return v;
    });
    const start = tf.memory().numTensors;
    for (const size of [7, 32, 80, 500]) {
      const e = await evaluateClassifier(model, data.x, data.y, size);
      expect(e.loss).toBeCloseTo(loss, 5);
      expect(e.accuracy).toBeCloseTo(accuracy, 10);
    }
    expect(tf.memory().numTensors).toBe(start);
    model.dispose();
  });
});
