/**
 * Small pieces shared by the image and audio sweeps: the abort error, the per-level optimizer,
 * a function-option check and the clock.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe } from '../util/checks.js';
import type { Modality, NoiseOptimizer } from './types.js';

/**
 * The error an aborted sweep rejects with: the signal's reason when it is an `Error`, else an
 * `AbortError`.
 *
 * @example
 * if (signal?.aborted) throw abortError(signal);
 */
export function abortError(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const error = new Error('estimateNoise was aborted');
  error.name = 'AbortError';
  return error;
}

/**
 * A fresh optimizer for one level, and whether the level owns (must dispose) it: `'paper'`
 * becomes the modality's protocol (`'paper-image'` SGD or `'paper-audio'` Adadelta), a
 * `tf.Optimizer` is copied from its config (so no state leaks between levels), a factory is
 * called.
 *
 * @example
 * const { optimizer, owned } = levelOptimizer('paper', 'audio'); // { optimizer: 'paper-audio', owned: false }
 */
export function levelOptimizer(
  choice: NoiseOptimizer,
  modality: Modality,
): { optimizer: tf.Optimizer | 'adam' | 'paper-image' | 'paper-audio'; owned: boolean } {
  if (choice === 'adam') return { optimizer: 'adam', owned: false };
  if (choice === 'paper') return { optimizer: modality === 'audio' ? 'paper-audio' : 'paper-image', owned: false };
  if (choice instanceof tf.Optimizer) {
    const ctor = choice.constructor as unknown as { fromConfig?: (cls: unknown, config: tf.serialization.ConfigDict) => tf.Optimizer };
    if (typeof ctor.fromConfig === 'function') {
      try {
        return { optimizer: ctor.fromConfig(ctor, choice.getConfig()), owned: true };
      } catch {
        // fall through: reuse the instance
      }
    }
    return { optimizer: choice, owned: false };
  }
  return { optimizer: choice(), owned: true };
}

/** Throws a `TypeError` unless `value` is undefined or a function. */
export function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') throw new TypeError(`${name} must be a function, got ${describe(value)}`);
}

/** Seconds on a monotonic clock. */
export const now = (): number => performance.now() / 1000;
