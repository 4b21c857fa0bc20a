/**
 * Small pieces shared by the image and audio sweeps: the abort error, the per-level optimizer,
 * the train-and-dispose step of one level, a function-option check and the clock.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { trainClassifier, type EpochLog, type TrainResult } from '../models/train.js';
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

/** What {@link trainLevelModel} needs: the level's tensors (it takes ownership), a model builder and the training settings. */
export interface LevelTraining {
  /** Training and validation inputs and one-hot labels; disposed by {@link trainLevelModel}. */
  tensors: { x: tf.Tensor4D; y: tf.Tensor2D; vx: tf.Tensor4D; vy: tf.Tensor2D };
  /** Builds the fresh, uncompiled model of this level. */
  buildModel: () => LayersModel;
  optimizer: NoiseOptimizer;
  modality: Modality;
  epochs: number;
  batchSize: number;
  augment?: boolean;
  seed: number;
  signal?: AbortSignal;
  onEpochEnd: (log: EpochLog) => void;
}

/**
 * Trains one level's model with the test set as validation, then disposes the model, the
 * level's tensors and any optimizer the level made, whether training finished, failed or was
 * aborted.
 *
 * @example
 * const result = await trainLevelModel({ tensors: { x, y, vx, vy }, buildModel: () => buildImageModel('A'), optimizer: 'adam', modality: 'image', epochs: 2, batchSize: 32, seed: 0, onEpochEnd: () => {} });
 * result.finalAccuracy;
 */
export async function trainLevelModel(level: LevelTraining): Promise<TrainResult> {
  const { x, y, vx, vy } = level.tensors;
  let model: LayersModel | null = null;
  const { optimizer, owned } = levelOptimizer(level.optimizer, level.modality);
  try {
    model = level.buildModel();
    return await trainClassifier(model, {
      train: { x, y },
      validation: { x: vx, y: vy },
      epochs: level.epochs,
      batchSize: level.batchSize,
      optimizer,
      augment: level.augment ?? false,
      seed: level.seed,
      signal: level.signal,
      onEpochEnd: level.onEpochEnd,
    });
  } finally {
    model?.dispose();
    tf.dispose([x, y, vx, vy]);
    if (owned && typeof optimizer !== 'string') optimizer.dispose();
  }
}
