import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradients
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuTrainingKernels } from '../../src/models/cpu-training.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Case = { x: [number, number, number, number]; f: [number, number, number, number]; stride: number; pad: 'same' | 'valid' };
const cases: Case[] = [
  { x: [2, 9, 9, 3], f: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 9, 8, 3], f: [3, 3, 3, 5], stride: 2, pad: 'same' },
  { x: [3, 10, 11, 2], f: [3, 3, 2, 4], stride: 1, pad: 'valid' },
  { x: [1, 8, 8, 6], f: [1, 1, 6, 3], stride: 1, pad: 'valid' },
  { x: [2, 7, 7, 4], f: [3, 3, 4, 2], stride: 2, pad: 'valid' },
];

const filterGradient = (c: Case, seed: number): Float32Array =>
  tf.tidy(() => {
    const x = tf.randomUniform(c.x, -1, 1, 'float32', seed) as tf.Tensor4D;
    const out = tf.conv2d(x, tf.zeros(c.f) as tf.Tensor4D, c.stride, c.pad);
    const dy = tf.randomUniform(out.shape, -1, 1, 'float32', seed + 1) as tf.Tensor4D;
    // The filter gradient of conv2d, through tfjs's gradient machinery (Conv2DBackpropFilter).
    const filter = tf.zeros(c.f) as tf.Tensor4D;
    const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, c.stride, c.pad), dy)));
    return grad(filter).dataSync() as Float32Array;
  });

describe('registerCpuTrainingKernels', () => {
  it('gives the same filter gradients as the cpu backend\'s own kernel', () => {
    const reference = cases.map((c, i) => filterGradient(c, 10 * i));
    expect(registerCpuTrainingKernels()).toEqual(['Conv2DBackpropFilter']);
    registerCpuTrainingKernels(); // idempotent
    cases.forEach((c, i) => {
      const got = filterGradient(c, 10 * i);
      expect(got.length).toBe(reference[i].length);
      got.forEach((v, j) => expect(v).toBeCloseTo(reference[i][j], 4));
    });
  });
});
