/** Test helper: loads the committed Fashion-MNIST sample (see scripts/make-fashion-fixture.py). */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import type { LabeledTensors } from '../../src/models/train.js';

const dir = new URL('../fixtures/fashion-mnist/', import.meta.url);

/** Images scaled to [0, 1] as [N, 28, 28, 1] and one-hot labels; the caller disposes them. */
export function loadFashion(split: 'train' | 'test', count?: number): LabeledTensors {
  const images = gunzipSync(readFileSync(new URL(`${split}-images.u8.gz`, dir)));
  const labels = gunzipSync(readFileSync(new URL(`${split}-labels.u8.gz`, dir)));
  const n = Math.min(count ?? labels.length, labels.length);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = images[i] / 255;
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) y[i * 10 + labels[i]] = 1;
  return { x: tf.tensor4d(x, [n, 28, 28, 1]), y: tf.tensor2d(y, [n, 10]) };
}
