/**
 * Gradient kernels that let tfjs's `wasm` backend train the A-F models fast.
 *
 * Browser-safe: imports only `@tensorflow/tfjs-core`; the user brings (and registers) the
 * `@tensorflow/tfjs-backend-wasm` backend.
 */
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';

const CONFIGS: readonly KernelConfig[] = [conv2dBackpropFilterConfig, conv2dBackpropInputConfig];

/**
 * Registers fast gradient kernels for the `wasm` backend and returns the names of the kernels
 * this library provides for it. Idempotent: a kernel already registered by an earlier call is
 * left alone; one the wasm package registered (e.g. its slow `Conv2DBackpropInput`) is replaced.
 * Import `@tensorflow/tfjs-backend-wasm` before calling it (an import after would put the
 * package's own kernels back).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { registerWasmTrainingKernels } from 'helmholtz-ml';
 * registerWasmTrainingKernels(); // ['Conv2DBackpropFilter', 'Conv2DBackpropInput', ...]
 * await tf.setBackend('wasm');
 * ```
 */
export function registerWasmTrainingKernels(): string[] {
  for (const config of CONFIGS) {
    const current = getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current != null) unregisterKernel(config.kernelName, config.backendName);
    registerKernel(config);
  }
  return CONFIGS.map((c) => c.kernelName);
}
