import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../../src/node/backend.js';

describe('useBackend', () => {
  it("'cpu' activates the JavaScript backend with the fast filter gradient", async () => {
    expect(await useBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')).toBeDefined();
  });

  it("'wasm' loads the WebAssembly backend from the installed package, with training kernels", async () => {
    expect(await useBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const y = tf.tidy(() => tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 1, 'valid'));
    expect(Array.from(await y.data())).toEqual([9, 9, 9, 9]);
    y.dispose();
  });

  it("'auto' picks the fastest backend that can train here", async () => {
    const name = await useBackend();
    // tfjs-node is not installed in this repository, and the wasm training kernels are.
    expect(name).toBe('wasm');
    expect(tf.getBackend()).toBe(name);
  });

  it("'tensorflow' without tfjs-node says what to install", async () => {
    await expect(useBackend('tensorflow')).rejects.toThrow(/npm install @tensorflow\/tfjs-node/);
  });

  it('rejects an unknown preference', async () => {
    await expect(useBackend('webgl' as 'cpu')).rejects.toThrow(/preference must be one of "auto", "tensorflow", "wasm", "cpu", got "webgl"/);
  });
});
