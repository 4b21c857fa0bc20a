/**
 * Picks and starts a tfjs backend in the worker: the one asked for, or with `'auto'` the first
 * of WebGPU, WebGL, wasm, cpu that starts here, with a sentence for each one skipped.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { backendDevice, registerCpuTrainingKernels, registerWasmTrainingKernels } from 'helmholtz-ml';
import { BACKENDS, type BackendName } from './protocol.js';

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });

/** Why a backend cannot start here, or null when it may. */
async function unavailable(name: BackendName): Promise<string | null> {
  const nav = globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } };
  if (name === 'webgpu') {
    if (!nav.gpu) return 'this browser has no WebGPU (navigator.gpu is missing; Chrome 113+, or enable WebGPU)';
    if ((await nav.gpu.requestAdapter().catch(() => null)) === null) return 'WebGPU is present but offers no GPU adapter';
  }
  if (name === 'webgl' && typeof OffscreenCanvas === 'undefined') return 'no OffscreenCanvas in workers, so no WebGL here';
  if (name === 'wasm' && typeof WebAssembly === 'undefined') return 'no WebAssembly';
  return null;
}

async function start(name: BackendName): Promise<string | null> {
  const why = await unavailable(name);
  if (why !== null) return why;
  if (name === 'wasm') registerWasmTrainingKernels();
  if (name === 'cpu') registerCpuTrainingKernels();
  try {
    if (!(await tf.setBackend(name))) return 'it failed to initialize';
    await tf.ready();
    return tf.getBackend() === name ? null : 'it failed to initialize';
  } catch (err) {
    return `it failed to initialize (${(err as Error).message})`;
  }
}

/** Starts `choice` (or the first that works, for 'auto'); returns its name and why. */
export async function pickBackend(choice: 'auto' | BackendName): Promise<{ backend: string; reason: string; tried: string[] }> {
  const order = choice === 'auto' ? [...BACKENDS] : [choice];
  const tried: string[] = [];
  for (const name of order) {
    const why = await start(name);
    if (why === null) {
      const device = backendDevice();
      const soft = device.software ? ` Note: it runs on a software GPU (${device.renderer}), so it is slow.` : '';
      const reason =
        (choice === 'auto' ? (tried.length === 0 ? `${name}: the fastest backend, available here.` : `${name}: the best one that starts here.`) : `${name}: as chosen.`) + soft;
      return { backend: name, reason, tried };
    }
    tried.push(`${name}: ${why}`);
  }
  throw new Error(`no backend could start: ${tried.join('; ')}`);
}
