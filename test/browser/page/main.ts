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
import { estimateNoise, prepareJpegKernel, registerCpuTrainingKernels, registerWasmTrainingKernels } from 'helmholtz-ml';
import { audioSweepOptions, codecOutputs, gradientStep, imageSweepOptions, summarizeSweep, type Family } from '../cases.js';
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

/** What the page reports about the backend it runs on. */
async function start(backend: string): Promise<Record<string, unknown>> {
  if (backend === 'wasm') registerWasmTrainingKernels();
  if (backend === 'cpu') registerCpuTrainingKernels();
  const ok = await tf.setBackend(backend);
  await tf.ready();
  const info: Record<string, unknown> = { requested: backend, ok, backend: tf.getBackend() };
  if (tf.getBackend() === 'webgl') {
    const gl = (tf.backend() as unknown as { gpgpu: { gl: WebGLRenderingContext } }).gpgpu.gl;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    info.renderer = debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    info.webglVersion = tf.env().getNumber('WEBGL_VERSION');
    info.float32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
  }
  if (tf.getBackend() === 'webgpu') {
    const adapter = (tf.backend() as unknown as { adapterInfo?: unknown }).adapterInfo;
    info.adapter = JSON.parse(JSON.stringify(adapter ?? null));
  }
  return info;
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

const api = { start, codecs, gradient, sweep, memory: () => JSON.parse(JSON.stringify(tf.memory())) as unknown };
(window as unknown as { helmholtzTest: typeof api }).helmholtzTest = api;
document.title = 'ready';
import * as hm from 'helmholtz-ml';
(window as unknown as { __debug: unknown }).__debug = { tf, hm };
