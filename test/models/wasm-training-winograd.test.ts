/**
 * The Winograd F(2x2, 3x3) convolution of the wasm training kernels (conv2d-winograd.ts,
 * conv2d-forward.ts) against tfjs's cpu backend: forward `Conv2D` and `FusedConv2D` (bias,
 * ReLU), odd sizes and channel tails, the stride-1 input gradient that goes through it, the
 * filter gradient by F(3x3, 2x2) (conv2d-backprop-filter-winograd.ts), and the cases left to the
 * backend's own kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { winogradApplies, winogradFilter } from '../../src/models/wasm-training/conv2d-winograd.js';
import { channelsLastConvInfo } from '../../src/models/wasm-training/wasm-calls.js';
import { expectWasmMatchesCpu as compare, initBackends, randomValues } from './wasm-training-setup.js';

type Shape4 = [number, number, number, number];
const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

beforeAll(async () => {
  await initBackends();
});

describe('winogradFilter', () => {
  it('is G g G^T: a filter of ones gives the outer product of (1, 1.5, 0.5, 1) with itself', () => {
    const u = winogradFilter(new Float32Array(9).fill(1), 1, 1);
    const r = [1, 1.5, 0.5, 1];
    expect(Array.from(u)).toEqual(r.flatMap((a) => r.map((b) => a * b)));
  });
});

describe('winogradApplies', () => {
  const info = (x: Shape4, f: Shape4, strides: number, pad: 'same' | 'valid') => channelsLastConvInfo(x, f, { strides, pad });
  it('takes 3x3 stride-1 same convolutions with channels in multiples of 4', () => {
    expect(winogradApplies(info([2, 14, 14, 32], [3, 3, 32, 32], 1, 'same'))).toBe(true);
    expect(winogradApplies(info([2, 9, 13, 4], [3, 3, 4, 12], 1, 'same'))).toBe(true);
  });
  it('leaves the others to the backend', () => {
    expect(winogradApplies(info([2, 14, 14, 32], [3, 3, 32, 32], 2, 'same'))).toBe(false);
    expect(winogradApplies(info([2, 14, 14, 32], [3, 3, 32, 32], 1, 'valid'))).toBe(false);
    expect(winogradApplies(info([2, 14, 14, 3], [3, 3, 3, 32], 1, 'same'))).toBe(false);
    expect(winogradApplies(info([2, 14, 14, 32], [3, 3, 32, 10], 1, 'same'))).toBe(false);
    expect(winogradApplies(info([2, 14, 14, 32], [1, 1, 32, 32], 1, 'same'))).toBe(false);
    expect(winogradApplies(info([2, 14, 14, 32], [5, 5, 32, 32], 1, 'same'))).toBe(false);
  });
  it('is turned off by HELMHOLTZ_WASM_WINOGRAD = off', () => {
    const g = globalThis as { HELMHOLTZ_WASM_WINOGRAD?: string };
    g.HELMHOLTZ_WASM_WINOGRAD = 'off';
    try {
      expect(winogradApplies(info([2, 14, 14, 32], [3, 3, 32, 32], 1, 'same'))).toBe(false);
    } finally {
      delete g.HELMHOLTZ_WASM_WINOGRAD;
    }
  });
});

// [input NHWC, output channels]: even and odd sizes (a last block half outside), 8 + 4 channel
// tails, one and several images, rows of blocks not a multiple of 4.
const CASES: [Shape4, number][] = [
  [[2, 8, 8, 4], 4],
  [[1, 9, 13, 8], 12],
  [[3, 16, 16, 12], 20],
  [[2, 11, 10, 4], 8],
  [[1, 28, 28, 8], 16],
  [[2, 5, 4, 4], 8],
];

describe('Winograd convolution on wasm', () => {
  for (const [xShape, co] of CASES) {
    const fShape: Shape4 = [3, 3, xShape[3], co];
    const x = randomValues(count(xShape), 1);
    const w = randomValues(count(fShape), 2);
    const b = randomValues(co, 3);
    it(`conv2d ${xShape.join('x')} -> ${co}`, async () => {
      await compare(() => tf.conv2d(tf.tensor4d(x, xShape), tf.tensor4d(w, fShape), 1, 'same'));
    });
    it(`fused conv2d + bias + relu ${xShape.join('x')} -> ${co}`, async () => {
      await compare(() =>
        tf.fused.conv2d({ x: tf.tensor4d(x, xShape), filter: tf.tensor4d(w, fShape), bias: tf.tensor1d(b), activation: 'relu', strides: 1, pad: 'same' }),
      );
      await compare(() => tf.fused.conv2d({ x: tf.tensor4d(x, xShape), filter: tf.tensor4d(w, fShape), bias: tf.tensor1d(b), strides: 1, pad: 'same' }));
    });
    it(`stride-1 input gradient ${xShape.join('x')} -> ${co}`, async () => {
      const yShape: Shape4 = [xShape[0], xShape[1], xShape[2], co];
      const dy = randomValues(count(yShape), 4);
      const g = globalThis as { HELMHOLTZ_WASM_DX?: string };
      g.HELMHOLTZ_WASM_DX = 'phases';
      try {
        await compare(() =>
          tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor4d(dy, yShape), filter: tf.tensor4d(w, fShape) }, {
            strides: 1,
            pad: 'same',
            dataFormat: 'NHWC',
            inputShape: xShape,
          } as never) as tf.Tensor,
        );
      } finally {
        delete g.HELMHOLTZ_WASM_DX;
      }
    });
    it(`filter gradient ${xShape.join('x')} -> ${co} (Winograd forced, then the automatic choice)`, async () => {
      const yShape: Shape4 = [xShape[0], xShape[1], xShape[2], co];
      const dy = randomValues(count(yShape), 5);
      const run = () =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(x, xShape), dy: tf.tensor4d(dy, yShape) }, {
          strides: 1,
          pad: 'same',
          dataFormat: 'NHWC',
          filterShape: fShape,
        } as never) as tf.Tensor;
      const g = globalThis as { HELMHOLTZ_WASM_DW?: string };
      g.HELMHOLTZ_WASM_DW = 'winograd';
      try {
        await compare(run);
      } finally {
        delete g.HELMHOLTZ_WASM_DW;
      }
      await compare(run);
    });
  }

  it('leaves other activations, dilations, strides and layouts to the backend (same values as cpu)', async () => {
    const xShape: Shape4 = [2, 10, 10, 8];
    const fShape: Shape4 = [3, 3, 8, 8];
    const x = randomValues(count(xShape), 5);
    const w = randomValues(count(fShape), 6);
    const b = randomValues(8, 7);
    await compare(() => tf.fused.conv2d({ x: tf.tensor4d(x, xShape), filter: tf.tensor4d(w, fShape), bias: tf.tensor1d(b), activation: 'elu', strides: 1, pad: 'same' }));
    await compare(() => tf.conv2d(tf.tensor4d(x, xShape), tf.tensor4d(w, fShape), 1, 'same', 'NHWC', 2));
    await compare(() => tf.conv2d(tf.tensor4d(x, xShape), tf.tensor4d(w, fShape), 2, 'same'));
    await compare(() => tf.conv2d(tf.tensor4d(x, xShape), tf.tensor4d(w, fShape), 1, 'valid'));
  });
});
