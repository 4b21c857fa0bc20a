/** Test helper: the cpu and wasm backends side by side, with the training kernels registered. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradients
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { registerWasmTrainingKernels } from '../../src/models/wasm-training/index.js';
import { expect } from 'vitest';
import { createRandom } from '../../src/util/random.js';

let ready: Promise<string[]> | null = null;

/** Loads the wasm backend from the package's own files and registers the kernels (once). */
export function initBackends(): Promise<string[]> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    setWasmPaths(dir + path.sep);
    const names = registerWasmTrainingKernels();
    await tf.setBackend('wasm');
    await tf.setBackend('cpu');
    return names;
  })();
  return ready;
}

/** Uniform values in [-1, 1) from `seed`. */
export function randomValues(n: number, seed: number): Float32Array {
  const rand = createRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rand.next() * 2 - 1;
  return out;
}

/** Runs `f` on `backend` and returns its outputs' values (every tensor made is disposed). */
export async function valuesOn(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const list = Array.isArray(outs) ? outs : [outs];
  const values = list.map((t) => t.dataSync() as Float32Array);
  tf.dispose(list);
  return values;
}

/** Largest absolute difference, relative to the largest absolute reference value. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/**
 * Runs `f` on cpu and on wasm, expects the wasm values within `tolerance` ({@link relativeError})
 * of cpu's, and that the wasm run leaves no tensor or data behind.
 */
export async function expectWasmMatchesCpu(f: () => tf.Tensor, tolerance = 1e-5): Promise<void> {
  const [cpu] = await valuesOn('cpu', f);
  await tf.setBackend('wasm');
  const ids = tf.backend().numDataIds();
  const tensors = tf.memory().numTensors;
  const [wasm] = await valuesOn('wasm', f);
  expect(tf.backend().numDataIds()).toBe(ids);
  expect(tf.memory().numTensors).toBe(tensors);
  expect(relativeError(wasm, cpu)).toBeLessThan(tolerance);
}
