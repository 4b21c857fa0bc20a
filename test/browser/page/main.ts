/**
 * The browser suite's test page, bundled from the package's build: registers the four tfjs
 * backends (the wasm one with its `.wasm` files served from /wasm/) and exposes the cases to
 * the test as `window.helmholtzTest`. Results travel as JSON (bytes as base64).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  backendDevice,
  buildImageModel,
  estimateNoise,
  imagesToTensor,
  labelsToOneHot,
  packImages,
  prepareJpegKernel,
  registerCpuTrainingKernels,
  registerWasmTrainingKernels,
  syntheticSensorImages,
  trainClassifier,
  withWebglTextureThreshold,
} from 'helmholtz-ml';
import { audioSweepOptions, codecOutputs, gradientStep, maxPoolTieRule, imageSweepOptions, summarizeSweep, type Family } from '../cases.js';
import type { ArchitectureName } from 'helmholtz-ml';

setWasmPaths('/wasm/');

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function floatsBase64(data: Float32Array): string {
  return toBase64(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/** Switches to `backend` and reports the device it computes on. */
async function start(backend: string) {
  if (backend === 'wasm') registerWasmTrainingKernels();
  if (backend === 'cpu') registerCpuTrainingKernels();
  const ok = await tf.setBackend(backend);
  await tf.ready();
  return { requested: backend, ok, ...backendDevice(), float32: backend === 'webgl' ? tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') : null };
}

async function codecs(prepared: boolean): Promise<Record<string, string>> {
  if (prepared) await prepareJpegKernel();
  const out = await codecOutputs();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, toBase64(v)]));
}

async function gradient(family: Family, arch: ArchitectureName) {
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  const step = await gradientStep(family, arch);
  return {
    loss: step.loss,
    names: step.names,
    gradients: step.gradients.map(floatsBase64),
    seconds: (performance.now() - t0) / 1000,
    leaked: tf.memory().numTensors - before,
  };
}

async function sweep(family: Family) {
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  const estimate = await estimateNoise(family === 'image' ? imageSweepOptions() : audioSweepOptions());
  return {
    summary: summarizeSweep(estimate),
    backend: estimate.backend,
    seconds: (performance.now() - t0) / 1000,
    leaked: tf.memory().numTensors - before,
  };
}

/** GPU memory of the webgl backend (bytes of textures in use, allocated in all, pooled). */
function gpuMemory(): { inUse: number; allocated: number; free: number } {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesInGPUAllocated?: number; numBytesInGPUFree?: number };
  return { inUse: m.numBytesInGPU ?? NaN, allocated: m.numBytesInGPUAllocated ?? NaN, free: m.numBytesInGPUFree ?? NaN };
}

/**
 * A longer training on the current backend (webgl): `models` models trained one after the other
 * (as a sweep does), each for `epochs` epochs over a set whose last batch is partial, recording
 * the texture memory after every epoch. `threshold` null leaves WEBGL_DELETE_TEXTURE_THRESHOLD
 * to the library; a number sets it first, as a user would.
 */
async function longTraining(models: number, epochs: number, threshold: number | null) {
  const flag = 'WEBGL_DELETE_TEXTURE_THRESHOLD';
  const userValue = tf.env().getNumber(flag);
  if (threshold !== null) tf.env().set(flag, threshold);
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  const set = syntheticSensorImages({ count: 40, size: 16, classes: 4, noise: 4, seed: 41 });
  const x = imagesToTensor(packImages(set.images));
  const y = labelsToOneHot(Int32Array.from(set.labels), 4);
  const memory: { inUse: number; allocated: number; free: number }[] = [];
  try {
    for (let m = 0; m < models; m++) {
      const model = buildImageModel('A', { inputShape: [16, 16, 3], numClasses: 4, widthMultiplier: 1 / 8, seed: m });
      await trainClassifier(model, { train: { x, y }, validation: { x, y }, epochs, batchSize: 16, onEpochEnd: () => void memory.push(gpuMemory()) });
      model.dispose();
    }
  } finally {
    tf.dispose([x, y]);
  }
  const flagAfter = tf.env().getNumber(flag);
  tf.env().set(flag, userValue);
  return { memory, flagAfter, leaked: tf.memory().numTensors - before, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Texture memory left allocated after ops on `shapes` new texture shapes, each result disposed,
 * run plainly and inside `withWebglTextureThreshold(fn, 0)`; and the flag after each.
 */
async function texturePool(shapes: number) {
  const flag = 'WEBGL_DELETE_TEXTURE_THRESHOLD';
  const run = async (offset: number) => {
    for (let i = 0; i < shapes; i++) {
      const t = tf.tidy(() => tf.relu(tf.fill([64 + offset + i, 65], 1)));
      await t.data();
      t.dispose();
    }
  };
  const start = gpuMemory().allocated;
  await run(0);
  const plain = gpuMemory().allocated - start;
  const flagPlain = tf.env().getNumber(flag);
  let flagInside = NaN;
  const mid = gpuMemory().allocated;
  await withWebglTextureThreshold(async () => {
    flagInside = tf.env().getNumber(flag);
    await run(shapes);
  }, 0);
  return { plain, bounded: gpuMemory().allocated - mid, flagPlain, flagInside, flagAfter: tf.env().getNumber(flag) };
}

const api = { maxPoolTieRule, start, codecs, gradient, sweep, longTraining, texturePool, memory: () => JSON.parse(JSON.stringify(tf.memory())) as unknown };
(window as unknown as { helmholtzTest: typeof api }).helmholtzTest = api;
document.title = 'ready';
