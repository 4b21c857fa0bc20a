import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradients
import { describe, expect, it } from 'vitest';
import { backendThreads, threadsPerWorker, useBackend } from '../../src/node/backend.js';
import { convKernelHelpers } from '../../src/models/wasm-training/direct-kernels.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

type Shape4 = [number, number, number, number];

/** A tensor of `shape` holding f(0), f(1), ... in order. */
function filled(shape: Shape4, f: (i: number) => number): tf.Tensor4D {
  return tf.tensor4d(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => f(i)), shape);
}

/** The values of the tensors `f` returns, on the active backend (every tensor it makes is disposed). */
async function valuesOf(f: () => tf.Tensor[]): Promise<Float32Array[]> {
  const outs = tf.tidy(f);
  const data = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(outs);
  return data;
}

/** A filter gradient of a small stride-2 convolution ([n, 9, 11, ci] -> co), on the active backend. */
async function filterGradient(n = 2, ci = 3, co = 8): Promise<Float32Array> {
  const [g] = await valuesOf(() => {
    const x = filled([n, 9, 11, ci], Math.sin);
    const w = filled([3, 3, ci, co], Math.cos);
    return [tf.grad((f) => tf.conv2d(x, f as tf.Tensor4D, 2, 'same'))(w, filled([n, 5, 6, co], (i) => Math.sin(3 * i)))];
  });
  return g;
}

/** A 3x3 stride-1 'same' convolution with bias and ReLU ([5, 9, 10, 8] -> 12: the Winograd kernel), on the active backend. */
async function winogradForward(): Promise<Float32Array> {
  const [y] = await valuesOf(() => {
    const b = tf.tensor1d(Array.from({ length: 12 }, (_, i) => i / 10 - 0.5));
    return [tf.fused.conv2d({ x: filled([5, 9, 10, 8], Math.sin), filter: filled([3, 3, 8, 12], Math.cos), bias: b, activation: 'relu', strides: 1, pad: 'same' })];
  });
  return y;
}

/** The filter gradient of a 3x3 stride-1 'same' convolution ([5, 9, 10, 8] -> 12: the Winograd kernel), on the active backend. */
async function winogradFilterGradient(): Promise<Float32Array> {
  const [g] = await valuesOf(() => {
    const inputs = { x: filled([5, 9, 10, 8], Math.sin), dy: filled([5, 9, 10, 12], (i) => Math.cos(2 * i)) };
    return [tf.engine().runKernel('Conv2DBackpropFilter', inputs, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 8, 12] } as never) as tf.Tensor];
  });
  return g;
}

/** A convolution with one input channel and its input gradient ([5, 9, 10, 1] -> 8: the few-channel kernels), on the active backend. */
async function fewChannels(): Promise<Float32Array[]> {
  return valuesOf(() => {
    const x = filled([5, 9, 10, 1], Math.sin);
    const w = filled([3, 3, 1, 8], Math.cos);
    return [tf.conv2d(x, w, 1, 'same'), tf.grad((v) => tf.conv2d(v as tf.Tensor4D, w, 1, 'same'))(x, filled([5, 9, 10, 8], (i) => Math.sin(3 * i)))];
  });
}

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

  it('runs wasm on several threads (the threaded SIMD build) with the same results as on one', async () => {
    const start = tf.memory().numTensors;
    expect(await useBackend('wasm', { threads: 1 })).toBe('wasm');
    expect(backendThreads()).toBe(1);
    const one = await filterGradient();
    const oneOdd = await filterGradient(5, 6, 13);
    const oneWinograd = await winogradForward();
    const oneWinogradDw = await winogradFilterGradient();
    const oneFew = await fewChannels();
    expect(await useBackend('wasm', { threads: 2 })).toBe('wasm');
    expect(backendThreads()).toBe(2);
    // The registry holds the threaded instance itself (selecting 'wasm' again keeps it).
    expect(tf.findBackend('wasm')).toBe(tf.backend());
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    // The filter-gradient kernel splits the images with one helper thread.
    expect(convKernelHelpers()?.count).toBe(1);
    const two = await filterGradient();
    for (let i = 0; i < one.length; i++) expect(two[i]).toBeCloseTo(one[i], 3);
    // 5 images split 2 + 3 between the threads; 13 output channels (padded to 16 in the kernel).
    const twoOdd = await filterGradient(5, 6, 13);
    for (let i = 0; i < oneOdd.length; i++) expect(twoOdd[i]).toBeCloseTo(oneOdd[i], 4);
    // The Winograd convolution: 5 images split 2 + 3, each computed alike on either thread.
    expect(await winogradForward()).toEqual(oneWinograd);
    // Its filter gradient: the two threads' totals summed in double, then rounded once.
    const twoWinogradDw = await winogradFilterGradient();
    for (let i = 0; i < oneWinogradDw.length; i++) expect(twoWinogradDw[i]).toBeCloseTo(oneWinogradDw[i], 4);
    // The few-channel convolution and its input gradient: each image on one thread, alike.
    expect(await fewChannels()).toEqual(oneFew);
    // Emscripten's global Worker (set while its pool starts) is not left behind.
    expect(Object.prototype.hasOwnProperty.call(globalThis, 'Worker')).toBe(false);
    expect(await useBackend('wasm', { threads: 1 })).toBe('wasm');
    expect(backendThreads()).toBe(1);
    expect(convKernelHelpers()).toBeNull();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('shares the cores among workers', () => {
    expect(threadsPerWorker(1)).toBeGreaterThanOrEqual(1);
    expect(threadsPerWorker(1024)).toBe(1);
  });

  it('a process using the threaded build exits on its own', () => {
    // Inside the repository, so that the script resolves the packages installed here.
    const dir = mkdtempSync(path.join(root, 'node_modules', '.helmholtz-threads-'));
    try {
      const script = path.join(dir, 'exit.mts');
      writeFileSync(
        script,
        [
          "import * as tf from '@tensorflow/tfjs-core';",
          `import { backendThreads, useBackend } from ${JSON.stringify(path.join(root, 'src', 'node', 'backend.ts'))};`,
          "await useBackend('wasm', { threads: 2 });",
          "const y = tf.conv2d(tf.ones([1, 8, 8, 4]) as tf.Tensor4D, tf.ones([3, 3, 4, 4]) as tf.Tensor4D, 1, 'same');",
          // First use in a fresh process: the package's own (unused) factory must not replace ours.
          // A filter gradient: the kernel's helper thread, waiting for work, must not keep the process alive either.
          "const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.ones([4, 8, 8, 4]), dy: tf.ones([4, 8, 8, 4]) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 4, 4] } as never) as tf.Tensor;",
          "console.log(backendThreads(), (await y.data())[36], tf.findBackend('wasm') === tf.backend(), (await dw.data())[4 * 4 * 4]);",
        ].join('\n'),
      );
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      // dW at the centre tap: 4 images x 8 x 8 positions.
      expect(r.stdout.trim()).toBe('2 36 true 256');
      // It ends when its work does, not at the timeout.
      expect(performance.now() - t0).toBeLessThan(30_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad thread count', async () => {
    await expect(useBackend('wasm', { threads: 0 })).rejects.toThrow(/options.threads must be an integer in 1..256, got 0/);
    await expect(useBackend('wasm', { threads: 1.5 })).rejects.toThrow(RangeError);
  });

  it("'tensorflow' without tfjs-node says what to install", async () => {
    await expect(useBackend('tensorflow')).rejects.toThrow(/npm install @tensorflow\/tfjs-node/);
  });

  it('rejects an unknown preference', async () => {
    await expect(useBackend('webgl' as 'cpu')).rejects.toThrow(/preference must be one of "auto", "tensorflow", "wasm", "cpu", got "webgl"/);
  });
});
