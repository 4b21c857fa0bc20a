import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../src/models/wasm-training/index.js';
import { buildImageModel } from '../../src/models/image.js';
import { buildAudioModel } from '../../src/models/audio.js';
import { initBackends, randomValues, relativeError } from './wasm-training-setup.js';

const fashionDir = new URL('../fixtures/fashion-mnist/', import.meta.url);

/** The committed Fashion-MNIST sample: pixels in [0, 1] and labels. */
function fashion(split: 'train' | 'test', n: number): { x: Float32Array; labels: Uint8Array } {
  const images = gunzipSync(readFileSync(new URL(`${split}-images.u8.gz`, fashionDir)));
  const labels = gunzipSync(readFileSync(new URL(`${split}-labels.u8.gz`, fashionDir)));
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = images[i] / 255;
  return { x, labels: labels.subarray(0, n) };
}

/** A small model with the image builders' layer kinds (no dropout: runs must be comparable). */
function imageLike(inputShape: number[], classes: number): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', inputShape, activation: 'relu' }));
  m.add(tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }));
  m.add(tfl.layers.activation({ activation: 'relu' }));
  m.add(tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.conv2d({ filters: 8, kernelSize: 1, activation: 'relu' }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: classes }));
  return m;
}

/** A small model with the audio builders' layer kinds and the image builders' dense head. */
function audioLike(inputShape: number[], classes: number): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'valid', inputShape }));
  m.add(tfl.layers.batchNormalization({ axis: 1 }));
  m.add(tfl.layers.activation({ activation: 'relu' }));
  m.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'valid' }));
  m.add(tfl.layers.activation({ activation: 'elu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 16 }));
  m.add(tfl.layers.activation({ activation: 'elu' }));
  m.add(tfl.layers.dense({ units: classes }));
  return m;
}

/** Loss gradients of every weight of `build()`'s model, weights set from `seed`, on `backend`. */
async function gradientsOn(backend: string, build: () => tfl.Sequential, x: Float32Array, xShape: number[], y: Float32Array, seed: number): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const model = build();
  const weights = model.getWeights().map((w, i) => tf.tensor(randomValues(w.size, seed + i).map((v) => v * 0.3), w.shape));
  model.setWeights(weights);
  tf.dispose(weights);
  const out = tf.tidy(() => {
    const xs = tf.tensor(x, xShape);
    const ys = tf.tensor2d(y, [xShape[0], y.length / xShape[0]]);
    const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar);
    return model.trainableWeights.map((w) => grads[w.originalName] ?? grads[w.name]);
  });
  const values = out.map((g) => g.dataSync() as Float32Array);
  tf.dispose(out);
  model.dispose();
  return values;
}

/** Seeded He-uniform kernels (fan-in: all axes but the last) and zero biases. */
function heInit(shapes: number[][]): Float32Array[] {
  return shapes.map((shape, i) => {
    const size = shape.reduce((a, b) => a * b, 1);
    if (shape.length === 1) return new Float32Array(size);
    const limit = Math.sqrt(6 / (size / shape[shape.length - 1]));
    return randomValues(size, 100 + i).map((v) => v * limit);
  });
}

/** Trains `imageLike` on the Fashion-MNIST sample from fixed weights; returns test accuracy. */
async function trainOn(backend: string, weights: Float32Array[], steps: number): Promise<{ accuracy: number; loss: number }> {
  await tf.setBackend(backend);
  const train = fashion('train', 500);
  const test = fashion('test', 200);
  const model = imageLike([28, 28, 1], 10);
  const initial = model.getWeights().map((w, i) => tf.tensor(weights[i], w.shape));
  model.setWeights(initial);
  tf.dispose(initial);
  const optimizer = tf.train.adam(0.01);
  const batch = 25;
  let loss = NaN;
  for (let step = 0; step < steps; step++) {
    const start = (step * batch) % 500;
    const l = optimizer.minimize(() => tf.tidy(() => {
      const xs = tf.tensor4d(train.x.subarray(start * 784, (start + batch) * 784), [batch, 28, 28, 1]);
      const ys = tf.oneHot(tf.tensor1d(Array.from(train.labels.subarray(start, start + batch)), 'int32'), 10);
      return tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar;
    }), true);
    loss = (l as tf.Scalar).dataSync()[0];
    tf.dispose(l as tf.Scalar);
  }
  const predicted = tf.tidy(() => tf.argMax(model.predict(tf.tensor4d(test.x, [200, 28, 28, 1])) as tf.Tensor, 1).dataSync());
  let correct = 0;
  for (let i = 0; i < 200; i++) if (predicted[i] === test.labels[i]) correct++;
  optimizer.dispose();
  model.dispose();
  return { accuracy: correct / 200, loss };
}

beforeAll(async () => {
  await initBackends();
  registerWasmTrainingKernels(); // after tfjs-layers registered its gradients
});

describe('training on wasm matches cpu', () => {
  it('whole-model gradients agree (image layer kinds: convs same/stride 2/1x1, relu, pooling)', async () => {
    const xShape = [3, 12, 12, 2];
    const x = randomValues(3 * 12 * 12 * 2, 20);
    const y = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const cpu = await gradientsOn('cpu', () => imageLike([12, 12, 2], 3), x, xShape, y, 30);
    const before = (await tf.setBackend('wasm'), tf.memory().numTensors);
    const wasm = await gradientsOn('wasm', () => imageLike([12, 12, 2], 3), x, xShape, y, 30);
    expect(tf.memory().numTensors).toBe(before);
    expect(wasm.length).toBe(cpu.length);
    cpu.forEach((g, i) => expect(relativeError(wasm[i], g)).toBeLessThan(1e-4));
  });

  it('whole-model gradients agree (audio layer kinds: valid convs, batch norm over axis 1, ELU, max pool, dense)', async () => {
    const xShape = [3, 14, 11, 1];
    const x = randomValues(3 * 14 * 11, 21);
    const y = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const cpu = await gradientsOn('cpu', () => audioLike([14, 11, 1], 3), x, xShape, y, 40);
    const wasm = await gradientsOn('wasm', () => audioLike([14, 11, 1], 3), x, xShape, y, 40);
    cpu.forEach((g, i) => expect(relativeError(wasm[i], g)).toBeLessThan(1e-4));
  });

  it('a short Fashion-MNIST training run reaches the same accuracy on wasm as on cpu', async () => {
    await tf.setBackend('cpu');
    const init = imageLike([28, 28, 1], 10);
    const weights = heInit(init.getWeights().map((w) => w.shape));
    init.dispose();
    const steps = 20;
    const cpu = await trainOn('cpu', weights, steps);
    const wasm = await trainOn('wasm', weights, steps);
    expect(cpu.accuracy).toBeGreaterThan(0.5); // chance: 0.1
    expect(Math.abs(wasm.accuracy - cpu.accuracy)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(0.02 * cpu.loss);
  });

  it('every A-F builder (image 32x32x3 and 28x28x1, audio 96x173x1; width 1/8) trains a step on wasm, loss finite, no leaks', async () => {
    await tf.setBackend('wasm');
    const archs = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
    const cases = [
      ...archs.map((a) => ({ name: `image ${a} 32x32x3`, shape: [32, 32, 3], classes: 10, build: () => buildImageModel(a, { widthMultiplier: 0.125 }) })),
      ...archs.map((a) => ({ name: `image ${a} 28x28x1`, shape: [28, 28, 1], classes: 10, build: () => buildImageModel(a, { widthMultiplier: 0.125, inputShape: [28, 28, 1] }) })),
      ...archs.map((a) => ({ name: `audio ${a} 96x173x1`, shape: [96, 173, 1], classes: 12, build: () => buildAudioModel(a, { widthMultiplier: 0.125 }) })),
    ];
    const start = tf.memory().numTensors;
    for (const c of cases) {
      const model = c.build();
      const optimizer = tf.train.sgd(0.01);
      const x = tf.tensor4d(randomValues(2 * c.shape[0] * c.shape[1] * c.shape[2], 50), [2, c.shape[0], c.shape[1], c.shape[2]]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1], 'int32'), c.classes));
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true) as tf.Scalar;
      expect(Number.isFinite(loss.dataSync()[0]), c.name).toBe(true);
      tf.dispose([loss, x, y]);
      optimizer.dispose();
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
  });
});
