/**
 * Gradient kernels that let tfjs's `wasm` backend train the A-F models fast.
 *
 * Browser-safe: imports only `@tensorflow/tfjs-core`; the user brings (and registers) the
 * `@tensorflow/tfjs-backend-wasm` backend.
 */
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig, originalBatchMatMul } from './batch-mat-mul.js';
import { registerBatchNormGradientFix } from './batch-norm-gradient.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dConfig, fusedConv2dConfig, originalConv2D, originalFusedConv2D } from './conv2d-forward.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { identityConfig, originalIdentity } from './identity.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { originalSum, sumConfig } from './sum.js';
import type { OriginalKernel } from './wasm-calls.js';

export { registerBatchNormGradientFix } from './batch-norm-gradient.js';

/** Each kernel, with the backend's own version it falls back to (when it replaces one). */
const KERNELS: readonly { config: KernelConfig; original?: OriginalKernel }[] = [
  { config: conv2dBackpropFilterConfig },
  { config: conv2dBackpropInputConfig },
  { config: maxPoolGradConfig },
  { config: sumConfig, original: originalSum },
  { config: batchMatMulConfig, original: originalBatchMatMul },
  { config: identityConfig, original: originalIdentity },
  { config: conv2dConfig, original: originalConv2D },
  { config: fusedConv2dConfig, original: originalFusedConv2D },
];

/**
 * Registers fast training kernels for tfjs's `wasm` backend and returns their names:
 * `Conv2DBackpropFilter` (missing from tfjs-backend-wasm 4.22), `Conv2DBackpropInput` (its own is
 * a scalar loop), `MaxPoolGrad` (its own is wrong when a window's inputs are all negative),
 * `Sum` (bias gradients), `BatchMatMul` (transposed products of dense gradients) and `Identity`
 * (the clones of the tensors gradients save, shared instead of copied), the convolutions and
 * products built on the backend's XNNPACK kernels. It also
 * registers {@link registerBatchNormGradientFix} (batch normalization over a non-last axis).
 *
 * Idempotent. Import `@tensorflow/tfjs-backend-wasm` before calling it: `Sum` and `BatchMatMul`
 * keep the package's kernels for the cases they do not handle, and are only installed when
 * those are registered (an import after the call would also put the package's kernels back;
 * calling again re-installs ours). Works with the backend initialized or not.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { registerWasmTrainingKernels } from 'helmholtz-ml';
 * registerWasmTrainingKernels(); // ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'Sum', 'BatchMatMul', 'Identity', 'Conv2D', 'FusedConv2D']
 * await tf.setBackend('wasm');
 * ```
 */
export function registerWasmTrainingKernels(): string[] {
  registerBatchNormGradientFix();
  const names: string[] = [];
  for (const { config, original } of KERNELS) {
    const current = getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc !== config.kernelFunc) {
      if (original !== undefined) {
        original.capture(config.kernelFunc);
        if (!original.available) continue;
      }
      if (current != null) unregisterKernel(config.kernelName, config.backendName);
      registerKernel(config);
    }
    names.push(config.kernelName);
  }
  return names;
}
