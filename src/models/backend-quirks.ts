/**
 * The tfjs 4.22 backend problems training runs into, fixed where training starts so that a user
 * never has to know (each fix in its own file):
 * - batch normalization over a non-last axis: the gradient on every backend
 *   (`registerBatchNormGradientFix`) and the forward pass on `cpu` and `wasm`
 *   (`registerBatchNormForwardFix`);
 * - WebGL keeping every released texture for reuse, so that its texture memory grows during
 *   training until the context is lost (`withWebglTextureThreshold`);
 * - webgl / webgpu silently on a software renderer, i.e. on the CPU (`warnIfSoftwareGpu` warns once).
 *
 * Browser-safe: imports only `@tensorflow/tfjs-core`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { CYCLIC_BATCH_NORM_BACKENDS, registerBatchNormForwardFix } from './backend-quirks-batch-norm.js';
import { registerBatchNormGradientFix } from './wasm-training/batch-norm-gradient.js';
import { warnIfSoftwareGpu } from './backend-quirks-device.js';
import { withWebglTextureThreshold } from './webgl-textures.js';

/**
 * Installs the fixes that are registrations (idempotent; again after a backend package put its
 * own kernel back): the batch-norm gradient for every backend and the batch-norm forward kernel
 * for `backendName` (default: each of `cpu` and `wasm` that is registered). `buildAudioModel` calls it. Training calls it; call it yourself before
 * `model.predict` on a model with batch normalization over a non-last axis trained elsewhere.
 *
 * @example
 * ```ts
 * import { registerBackendQuirks } from 'helmholtz-ml';
 * await tf.setBackend('wasm');
 * registerBackendQuirks();
 * ```
 */
export function registerBackendQuirks(backendName?: string): void {
  registerBatchNormGradientFix();
  for (const name of backendName === undefined ? CYCLIC_BATCH_NORM_BACKENDS : [backendName]) registerBatchNormForwardFix(name);
}

/**
 * Runs `fn` (a training) with every backend fix in place: {@link registerBackendQuirks} for
 * the current backend, a warning (once) for a software GPU renderer, and on `webgl` a texture-deletion threshold that is restored afterwards
 * (see `withWebglTextureThreshold`). `trainClassifier` runs each training batch inside it.
 *
 * @example
 * const history = await withTrainingQuirks(() => model.fit(x, y, { epochs: 5 }));
 */
export async function withTrainingQuirks<T>(fn: () => Promise<T>): Promise<T> {
  registerBackendQuirks(tf.getBackend());
  warnIfSoftwareGpu();
  return withWebglTextureThreshold(fn);
}
