/**
 * WebGL's texture pool during training. tfjs-backend-webgl 4.22 keeps every released texture
 * for reuse unless `WEBGL_DELETE_TEXTURE_THRESHOLD` is set (its default, -1, never deletes), so
 * the memory a training holds on the GPU only grows, with each new texture shape (a last partial
 * batch, the evaluation batches, each new model of a sweep), until the WebGL context is lost.
 * Training runs with a threshold so that textures released beyond it are deleted, and the
 * user's setting is restored afterwards.
 *
 * Browser-safe: imports only `@tensorflow/tfjs-core`.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The flag of tfjs-backend-webgl that bounds its texture pool (bytes; -1 = never delete). */
export const WEBGL_DELETE_TEXTURE_THRESHOLD = 'WEBGL_DELETE_TEXTURE_THRESHOLD';

/**
 * The threshold training runs with: released textures are deleted once the backend holds more
 * than this many bytes of textures (in use or pooled), 256 MiB.
 */
export const WEBGL_TRAINING_TEXTURE_THRESHOLD = 256 * 2 ** 20;

let depth = 0;
let saved: number | undefined;

/**
 * Runs `fn` with `WEBGL_DELETE_TEXTURE_THRESHOLD` set to `bytes` when the current backend is
 * `webgl` and the flag is at its default (-1, a value the user set is kept), and puts -1 back
 * when the outermost call ends (resolved or rejected). Elsewhere it just runs `fn`.
 *
 * @param bytes - threshold in bytes (default {@link WEBGL_TRAINING_TEXTURE_THRESHOLD}), >= 0.
 * @example
 * await withWebglTextureThreshold(() => trainClassifier(model, options));
 */
export async function withWebglTextureThreshold<T>(fn: () => Promise<T>, bytes: number = WEBGL_TRAINING_TEXTURE_THRESHOLD): Promise<T> {
  if (!(Number.isFinite(bytes) && bytes >= 0)) {
    throw new RangeError(`bytes must be a finite number >= 0 (the texture threshold in bytes), got ${String(bytes)}`);
  }
  if (tf.getBackend() !== 'webgl' || !hasFlag()) return fn();
  if (depth === 0) {
    const current = tf.env().getNumber(WEBGL_DELETE_TEXTURE_THRESHOLD);
    saved = current;
    if (current === -1) tf.env().set(WEBGL_DELETE_TEXTURE_THRESHOLD, bytes);
  }
  depth++;
  try {
    return await fn();
  } finally {
    depth--;
    if (depth === 0 && saved !== undefined) {
      tf.env().set(WEBGL_DELETE_TEXTURE_THRESHOLD, saved);
      saved = undefined;
    }
  }
}

/** Whether the webgl backend registered the flag (it always does once imported). */
function hasFlag(): boolean {
  try {
    tf.env().getNumber(WEBGL_DELETE_TEXTURE_THRESHOLD);
    return true;
  } catch {
    return false;
  }
}
