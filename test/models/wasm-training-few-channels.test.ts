/**
 * The few-input-channel convolution kernels of the wasm training kernels (conv2d-few-channels.ts:
 * 1 to 3 input channels, Co a multiple of 4) against tfjs's cpu backend: forward `Conv2D` and
 * `FusedConv2D` (bias, ReLU), the input gradient, at several filter sizes, strides, paddings and
 * odd image sizes, and the cases left to the backend's own kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fewChannelsApply } from '../../src/models/wasm-training/conv2d-few-channels.js';
import { channelsLastConvInfo } from '../../src/models/wasm-training/wasm-calls.js';
import { expectWasmMatchesCpu as compare, initBackends, randomValues } from './wasm-training-setup.js';

type Shape4 = [number, number, number, number];
const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

beforeAll(async () => {
  await initBackends();
});

describe('fewChannelsApply', () => {
  const info = (x: Shape4, f: Shape4, strides: number, pad: 'same' | 'valid') => channelsLastConvInfo(x, f, { strides, pad });
  it('takes 1 to 3 input channels with output channels in multiples of 4, any filter, stride and padding', () => {
    expect(fewChannelsApply(info([2, 28, 28, 1], [3, 3, 1, 8], 1, 'same'))).toBe(true);
    expect(fewChannelsApply(info([2, 32, 32, 3], [5, 5, 3, 32], 2, 'valid'))).toBe(true);
  });
  it('leaves more input channels, other output channel counts and dilations to the others', () => {
    expect(fewChannelsApply(info([2, 28, 28, 4], [3, 3, 4, 8], 1, 'same'))).toBe(false);
    expect(fewChannelsApply(info([2, 28, 28, 1], [3, 3, 1, 10], 1, 'same'))).toBe(false);
    expect(fewChannelsApply(tf.backend_util.computeConv2DInfo([2, 28, 28, 1], [3, 3, 1, 8], 1, 2, 'same'))).toBe(false);
  });
});

// [input NHWC, filter size, output channels, stride, padding]: 1-3 channels, 8 + 4 channel tails,
// odd sizes, images narrower than the 4-column tiles, strides 1 and 2, 'same' and 'valid'.
const CASES: [Shape4, number, number, number, 'same' | 'valid'][] = [
  [[3, 28, 28, 1], 3, 8, 1, 'same'],
  [[2, 9, 13, 3], 3, 12, 1, 'same'],
  [[2, 11, 10, 2], 3, 4, 2, 'same'],
  [[1, 7, 9, 1], 5, 16, 1, 'valid'],
  [[2, 3, 2, 3], 3, 8, 1, 'same'],
  [[2, 12, 12, 3], 1, 8, 2, 'valid'],
  [[1, 6, 7, 2], 3, 8, 1, 'same'],
];

describe('few-channel convolutions on wasm', () => {
  for (const [xShape, size, co, strides, pad] of CASES) {
    const fShape: Shape4 = [size, size, xShape[3], co];
    const name = `${xShape.join('x')} ${size}x${size}/${strides} ${pad} -> ${co}`;
    const x = randomValues(count(xShape), 11);
    const w = randomValues(count(fShape), 12);
    const b = randomValues(co, 13);
    it(`conv2d, and fused with bias (+ ReLU): ${name}`, async () => {
      await compare(() => tf.conv2d(tf.tensor4d(x, xShape), tf.tensor4d(w, fShape), strides, pad));
      await compare(() => tf.fused.conv2d({ x: tf.tensor4d(x, xShape), filter: tf.tensor4d(w, fShape), bias: tf.tensor1d(b), activation: 'relu', strides, pad }));
      await compare(() => tf.fused.conv2d({ x: tf.tensor4d(x, xShape), filter: tf.tensor4d(w, fShape), bias: tf.tensor1d(b), strides, pad }));
    });
    it(`input gradient: ${name}`, async () => {
      const y = tf.tidy(() => tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(fShape) as tf.Tensor4D, strides, pad));
      const yShape = y.shape as Shape4;
      y.dispose();
      const dy = randomValues(count(yShape), 14);
      await compare(() =>
        tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor4d(dy, yShape), filter: tf.tensor4d(w, fShape) }, {
          strides,
          pad,
          dataFormat: 'NHWC',
          inputShape: xShape,
        } as never) as tf.Tensor,
      );
    });
  }

  it('leaves NCHW data and other activations to the backend (same values as cpu)', async () => {
    const xShape: Shape4 = [2, 10, 10, 1];
    const fShape: Shape4 = [3, 3, 1, 8];
    const x = randomValues(count(xShape), 15);
    const w = randomValues(count(fShape), 16);
    const b = randomValues(8, 17);
    await compare(() => tf.fused.conv2d({ x: tf.tensor4d(x, xShape), filter: tf.tensor4d(w, fShape), bias: tf.tensor1d(b), activation: 'elu', strides: 1, pad: 'same' }));
    await compare(() => tf.conv2d(tf.tensor4d(x, xShape), tf.tensor4d(w, fShape), 1, 'same', 'NHWC', 2));
  });
});
