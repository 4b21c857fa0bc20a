import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../src/models/wasm-training/index.js';
import { axisPhases } from '../../src/models/wasm-training/conv2d-backprop-input.js';
import { chunkSize } from '../../src/models/wasm-training/conv2d-backprop-filter.js';
import { leadingAxes } from '../../src/models/wasm-training/sum.js';
import { initBackends, randomValues, relativeError, valuesOn } from './wasm-training-setup.js';

type Shape4 = [number, number, number, number];
/** [input NHWC, kernel, output channels, stride, padding, where it occurs]. */
type ConvCase = [Shape4, number, number, number, 'same' | 'valid', string];

// Every convolution shape the A-F builders produce (channels cut down: they do not change the
// index arithmetic), on CIFAR-10 (32x32x3), Fashion-MNIST (28x28x1) and the 96x173x1 spectrogram.
const CONV_CASES: ConvCase[] = [
  [[2, 32, 32, 3], 3, 8, 1, 'same', 'image 32: first conv'],
  [[2, 32, 32, 8], 3, 8, 1, 'same', 'image 32: conv 64'],
  [[2, 32, 32, 8], 3, 8, 2, 'same', 'image 32: stride-2 conv to 16x16'],
  [[2, 16, 16, 8], 3, 8, 1, 'same', 'image 32: group conv at 16x16'],
  [[2, 16, 16, 8], 3, 8, 2, 'same', 'image 32: stride-2 conv to 8x8'],
  [[2, 8, 8, 8], 3, 8, 1, 'same', 'image 32: conv at 8x8 (A)'],
  [[2, 8, 8, 8], 3, 8, 2, 'same', 'image 32: stride-2 conv to 4x4 (C, D)'],
  [[2, 4, 4, 8], 3, 8, 1, 'same', 'image 32: conv at 4x4 (C)'],
  [[2, 8, 8, 8], 1, 8, 1, 'same', 'image 32: 1x1 conv (A)'],
  [[2, 4, 4, 8], 1, 10, 1, 'same', 'image 32: 1x1 conv to classes (C)'],
  [[2, 28, 28, 1], 3, 8, 1, 'same', 'image 28: first conv'],
  [[2, 28, 28, 8], 3, 8, 2, 'same', 'image 28: stride-2 conv to 14x14'],
  [[2, 14, 14, 8], 3, 8, 2, 'same', 'image 28: stride-2 conv to 7x7'],
  [[2, 7, 7, 8], 3, 8, 1, 'same', 'image 28: conv at 7x7'],
  [[2, 7, 7, 8], 3, 8, 2, 'same', 'image 28: stride-2 conv to 4x4 (odd size)'],
  [[2, 4, 4, 8], 1, 10, 1, 'same', 'image 28: 1x1 conv at 4x4'],
  [[2, 96, 173, 1], 3, 4, 1, 'valid', 'audio: stem conv'],
  [[2, 94, 171, 4], 3, 4, 1, 'valid', 'audio: loop 1 conv'],
  [[2, 46, 84, 4], 3, 4, 1, 'valid', 'audio: loop 2 conv'],
  [[2, 22, 41, 4], 3, 4, 1, 'valid', 'audio: loop 3 conv'],
  [[2, 10, 19, 4], 3, 4, 1, 'valid', 'audio: loop 4 conv (B)'],
  [[16, 32, 32, 3], 3, 4, 2, 'same', 'batch split in two chunks (filter gradient)'],
  [[20, 24, 24, 2], 3, 4, 1, 'valid', 'batch of 20 in chunks of 10'],
  [[1, 9, 9, 2], 5, 3, 3, 'same', 'kernel 5, stride 3'],
  [[1, 9, 10, 2], 1, 3, 2, 'valid', '1x1 stride 2 (taps missing from some phases)'],
  [[2, 9, 11, 6], 3, 13, 2, 'same', 'channels 6 -> 13, odd sizes (direct kernel tails)'],
  [[2, 9, 19, 12], 3, 5, 2, 'same', 'channels 12 -> 5, stride 2, odd sizes (input-gradient tiles of 8 + 4 channels, borders)'],
  [[1, 12, 23, 4], 5, 3, 3, 'valid', 'kernel 5, stride 3, valid (input-gradient positions no tap reaches)'],
  [[1, 9, 10, 4], 1, 3, 2, 'valid', '1x1 stride 2 with 4 channels (input-gradient zeros)'],
];

function outShape([n, h, w]: Shape4, k: number, co: number, s: number, pad: 'same' | 'valid'): Shape4 {
  const size = (x: number) => (pad === 'same' ? Math.ceil(x / s) : Math.ceil((x - k + 1) / s));
  return [n, size(h), size(w), co];
}

const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

beforeAll(async () => {
  await initBackends();
});

describe('registerWasmTrainingKernels', () => {
  it('registers the training kernels for wasm, idempotently', () => {
    const names = registerWasmTrainingKernels();
    expect(names).toEqual(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'Sum', 'BatchMatMul', 'Identity', 'Conv2D', 'FusedConv2D']);
    const funcs = names.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc);
    expect(registerWasmTrainingKernels()).toEqual(names);
    expect(names.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc)).toEqual(funcs);
  });
});

describe('wasm Identity shares the data', () => {
  it('a clone keeps its values after the original is disposed, and frees them when it is disposed itself', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory();
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers + 1); // one buffer for both
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1, 2, 3]);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    const v = tf.variable(tf.tensor1d([4, 5]));
    const saved = tf.clone(v);
    v.assign(tf.tensor1d([6, 7]));
    expect(Array.from(await saved.data())).toEqual([4, 5]);
    expect(Array.from(await v.data())).toEqual([6, 7]);
    tf.dispose([v, saved]);
    const t = tf.tensor1d(['x', 'y'], 'string');
    const s = tf.clone(t);
    expect(await s.data()).toEqual(['x', 'y']);
    tf.dispose([t, s]); // strings take the backend's own Identity (which leaves a tensor of its own behind)
  });
});

describe('wasm Conv2DBackpropFilter / Conv2DBackpropInput agree with cpu (1e-4 relative)', () => {
  for (const [xShape, k, co, s, pad, where] of CONV_CASES) {
    it(`${where}: x [${xShape}], ${k}x${k}, stride ${s}, ${pad}`, async () => {
      const fShape: Shape4 = [k, k, xShape[3], co];
      const yShape = outShape(xShape, k, co, s, pad);
      const x = randomValues(count(xShape), 1);
      const w = randomValues(count(fShape), 2);
      const dy = randomValues(count(yShape), 3);
      const attrs = { strides: s, pad, dataFormat: 'NHWC' };
      const filterGrad = () =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(x, xShape), dy: tf.tensor4d(dy, yShape) }, { ...attrs, filterShape: fShape } as never) as tf.Tensor;
      const inputGrad = () =>
        tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor4d(dy, yShape), filter: tf.tensor4d(w, fShape) }, { ...attrs, inputShape: xShape } as never) as tf.Tensor;
      const [cpuDw] = await valuesOn('cpu', filterGrad);
      const [cpuDx] = await valuesOn('cpu', inputGrad);
      await tf.setBackend('wasm');
      const ids = tf.backend().numDataIds();
      const tensors = tf.memory().numTensors;
      // Every filter-gradient method: im2col GEMMs (wide layers' default) gathering output rows or
      // whole padded rows, our direct kernel (narrow layers' default) and dilated convolutions.
      const g = globalThis as { HELMHOLTZ_WASM_DW?: string; HELMHOLTZ_WASM_DW_WIDE?: string };
      for (const [method, wide] of [['taps', 'on'], ['taps', 'off'], ['direct', 'off'], ['conv', 'off']]) {
        g.HELMHOLTZ_WASM_DW = method;
        g.HELMHOLTZ_WASM_DW_WIDE = wide;
        try {
          const [wasmDw] = await valuesOn('wasm', filterGrad);
          expect(relativeError(wasmDw, cpuDw), `${method}, wide rows ${wide}`).toBeLessThan(1e-4);
        } finally {
          delete g.HELMHOLTZ_WASM_DW;
          delete g.HELMHOLTZ_WASM_DW_WIDE;
        }
      }
      // Every input-gradient method: our direct kernel (strided layers' default) and the XNNPACK phases.
      const d = globalThis as { HELMHOLTZ_WASM_DX?: string };
      for (const method of ['direct', 'phases']) {
        d.HELMHOLTZ_WASM_DX = method;
        try {
          const [wasmDx] = await valuesOn('wasm', inputGrad);
          expect(relativeError(wasmDx, cpuDx), method).toBeLessThan(1e-4);
        } finally {
          delete d.HELMHOLTZ_WASM_DX;
        }
      }
      const [wasmDx] = await valuesOn('wasm', inputGrad);
      expect(tf.backend().numDataIds()).toBe(ids);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(relativeError(wasmDx, cpuDx)).toBeLessThan(1e-4);
    });
  }

  it('handles NCHW data', async () => {
    const xShape: Shape4 = [2, 3, 10, 9];
    const fShape: Shape4 = [3, 3, 3, 4];
    const yShape: Shape4 = [2, 4, 5, 5];
    const x = randomValues(count(xShape), 4);
    const w = randomValues(count(fShape), 5);
    const dy = randomValues(count(yShape), 6);
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NCHW' };
    const both = () => [
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(x, xShape), dy: tf.tensor4d(dy, yShape) }, { ...attrs, filterShape: fShape } as never) as tf.Tensor,
      tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor4d(dy, yShape), filter: tf.tensor4d(w, fShape) }, { ...attrs, inputShape: xShape } as never) as tf.Tensor,
    ];
    const cpu = await valuesOn('cpu', both);
    const wasm = await valuesOn('wasm', both);
    expect(relativeError(wasm[0], cpu[0])).toBeLessThan(1e-4);
    expect(relativeError(wasm[1], cpu[1])).toBeLessThan(1e-4);
  });

  it('splits the stride into phases that cover every tap once', () => {
    for (const [size, out, k, s, p] of [[32, 16, 3, 2, 0], [7, 4, 3, 2, 1], [9, 3, 5, 3, 1], [10, 5, 1, 2, 0]]) {
      const taps = axisPhases(size, out, k, s, p).flatMap((ph) => ph.taps).sort((a, b) => a - b);
      expect(taps).toEqual(Array.from({ length: k }, (_, i) => i).filter((t) => s <= k || t < k));
    }
    expect(chunkSize(128, 1024)).toBe(8);
    expect(chunkSize(128, 64)).toBe(64);
    expect(chunkSize(2, 1024)).toBe(2);
    expect(chunkSize(50, 256)).toBe(25);
  });
});

describe('wasm Sum and BatchMatMul agree with cpu', () => {
  it('Sum over leading axes (bias gradients) and other axes', async () => {
    const v = randomValues(2 * 5 * 6 * 7, 7);
    const sums = () => {
      const t = tf.tensor4d(v, [2, 5, 6, 7]);
      return [tf.sum(t, [0, 1, 2]), tf.sum(t, [0, 1], true), tf.sum(t, 0), tf.sum(t, [1, 3]), tf.sum(t), tf.sum(tf.tensor2d(v, [70, 6]), 0)];
    };
    const cpu = await valuesOn('cpu', sums);
    const wasm = await valuesOn('wasm', sums);
    cpu.forEach((c, i) => expect(relativeError(wasm[i], c)).toBeLessThan(1e-4));
    // Leading-axes sums (8-, 4- and 1-column paths of the kernel) add in the cpu backend's order, in double: equal bit for bit.
    for (const i of [0, 1, 2, 5]) expect(Array.from(wasm[i])).toEqual(Array.from(cpu[i]));
    expect(leadingAxes([2, 0, 1], 4)).toBe(3);
    expect(leadingAxes([1, 2], 4)).toBe(0);
    expect(leadingAxes([0, 1, 2, 3], 4)).toBe(0);
  });

  it('BatchMatMul with every transpose combination (dense layer gradients) and batched', async () => {
    const a = randomValues(37 * 53, 8);
    const b = randomValues(53 * 19, 9);
    const products = () => {
      const A = tf.tensor2d(a, [37, 53]);
      const B = tf.tensor2d(b, [53, 19]);
      const At = tf.transpose(A);
      const Bt = tf.transpose(B);
      return [
        tf.matMul(A, B),
        tf.matMul(At, B, true, false),
        tf.matMul(A, Bt, false, true),
        tf.matMul(At, Bt, true, true),
        tf.matMul(tf.tensor3d(a.subarray(0, 2 * 10 * 53), [2, 10, 53]), tf.tensor3d(b.subarray(0, 2 * 53 * 4), [2, 53, 4])),
      ];
    };
    const cpu = await valuesOn('cpu', products);
    await tf.setBackend('wasm');
    const ids = tf.backend().numDataIds();
    const wasm = await valuesOn('wasm', products);
    expect(tf.backend().numDataIds()).toBe(ids);
    cpu.forEach((c, i) => expect(relativeError(wasm[i], c)).toBeLessThan(1e-5));
  });
});

describe('wasm MaxPoolGrad agrees with cpu', () => {
  // The audio models pool ELU outputs (often all negative in a window) at odd sizes (171 wide).
  for (const [shape, size, stride, pad] of [
    [[2, 94, 171, 3], 2, 2, 'valid'],
    [[2, 9, 7, 2], 3, 2, 'same'],
    [[1, 6, 6, 1], 2, 1, 'valid'],
  ] as [Shape4, number, number, 'same' | 'valid'][]) {
    it(`x [${shape}], pool ${size}, stride ${stride}, ${pad}, negative inputs and ties`, async () => {
      const v = randomValues(count(shape), 14).map((t, i) => (i % 5 === 0 ? -0.5 : t - 0.6));
      const grad = () =>
        tf.grad((x: tf.Tensor) => {
          const y = tf.maxPool(x as tf.Tensor4D, size, stride, pad);
          return tf.sum(tf.mul(y, tf.reshape(tf.range(1, 1 + y.size), y.shape)));
        })(tf.tensor4d(v, shape));
      const [cpu] = await valuesOn('cpu', grad);
      const [wasm] = await valuesOn('wasm', grad);
      expect(relativeError(wasm, cpu)).toBeLessThan(1e-6);
    });
  }
});

describe('FusedBatchNorm gradient over a non-last axis', () => {
  it('matches the gradient of the same normalization moved to the last axis, on cpu and wasm', async () => {
    const shape: Shape4 = [3, 6, 5, 2];
    const xv = randomValues(count(shape), 10);
    const wv = randomValues(count(shape), 11);
    const gamma = randomValues(6, 12);
    const beta = randomValues(6, 13);
    // Axis 1 with broadcast statistics [1, 6, 1, 1], as tfjs-layers does for axis 1.
    const axis1 = () =>
      tf.grad((x: tf.Tensor) => {
        const { mean, variance } = tf.moments(x, [0, 2, 3], true);
        const y = tf.batchNorm(x, mean, variance, tf.tensor4d(beta, [1, 6, 1, 1]), tf.tensor4d(gamma, [1, 6, 1, 1]), 1e-3);
        return tf.sum(tf.mul(y, tf.tensor4d(wv, shape)));
      })(tf.tensor4d(xv, shape));
    // The same with the axis moved last, where tfjs-core's own gradient applies (rank-1 stats).
    const last = () =>
      tf.transpose(
        tf.grad((xt: tf.Tensor) => {
          const { mean, variance } = tf.moments(xt, [0, 1, 2]);
          const y = tf.batchNorm(xt, mean, variance, tf.tensor1d(beta), tf.tensor1d(gamma), 1e-3);
          return tf.sum(tf.mul(y, tf.transpose(tf.tensor4d(wv, shape), [0, 2, 3, 1])));
        })(tf.transpose(tf.tensor4d(xv, shape), [0, 2, 3, 1])),
        [0, 3, 1, 2],
      );
    const [reference] = await valuesOn('cpu', last);
    for (const backend of ['cpu', 'wasm']) {
      const [got] = await valuesOn(backend, axis1);
      expect(relativeError(got, reference)).toBeLessThan(1e-4);
    }
  });
});
