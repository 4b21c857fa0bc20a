/**
 * Small pieces shared by the image and audio sweeps: the abort error, the per-level optimizer,
 * the start of a level, the train-and-dispose step of one level, a function-option check and the
 * clock.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { trainClassifier, type EpochLog, type TrainResult } from '../models/train.js';
import { describe } from '../util/checks.js';
import type {
  LevelRunContext,
  Modality,
  NoiseImageArchitecture,
  NoiseModelFactory,
  NoiseOptimizer,
  ProgressEvent,
} from './types.js';

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
 * result.paperAccuracy;
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

/** The progress fields of one level, and when it started (see {@link startLevel}). */
export interface LevelStart {
  started: number;
  base: Pick<ProgressEvent, 'level' | 'levelIndex' | 'levelCount' | 'elapsedSeconds'>;
}

/**
 * Starts one level of a sweep: throws if `context.signal` is aborted, reads the clock and
 * emits the `'compress'` progress event.
 *
 * @example
 * const { started, base } = startLevel(25, context);
 */
export function startLevel(level: number, context: LevelRunContext): LevelStart {
  const { signal } = context;
  if (signal?.aborted) throw abortError(signal);
  const started = now();
  const base = { level, levelIndex: context.levelIndex, levelCount: context.levelCount, elapsedSeconds: 0 };
  context.onProgress?.({ ...base, phase: 'compress' });
  return { started, base };
}

/** The model and training settings of a prepared sweep (image or audio). */
export interface PreparedTraining {
  model: NoiseImageArchitecture | NoiseModelFactory;
  modelOptions: { widthMultiplier: number; faithful: boolean };
  inputShape: [number, number, number];
  classes: number;
  epochs: number;
  batchSize: number;
  optimizer: NoiseOptimizer;
  augment: boolean;
  seed: number;
}

/** Builds one of the paper's architectures (`buildImageModel` or `buildAudioModel`). */
export type ArchitectureBuilder = (
  arch: NoiseImageArchitecture,
  options: { inputShape: [number, number, number]; numClasses: number; widthMultiplier: number; faithful: boolean; seed: number },
) => LayersModel;

/**
 * Trains one level of a prepared sweep with {@link trainLevelModel}: a fresh model (the
 * factory, or `buildArchitecture` with the sweep's seed, so every level starts from the same
 * weights), `'train'` progress events after each epoch with the validation accuracy.
 *
 * @example
 * const result = await trainPreparedLevel(prepared, 'image', { x, y, vx, vy }, buildImageModel, start.base, context);
 */
export function trainPreparedLevel(
  prepared: PreparedTraining,
  modality: Modality,
  tensors: LevelTraining['tensors'],
  buildArchitecture: ArchitectureBuilder,
  base: LevelStart['base'],
  context: LevelRunContext,
): Promise<TrainResult> {
  return trainLevelModel({
    tensors,
    buildModel: () =>
      typeof prepared.model === 'function'
        ? prepared.model([...prepared.inputShape], prepared.classes)
        : buildArchitecture(prepared.model, {
          inputShape: prepared.inputShape,
          numClasses: prepared.classes,
          widthMultiplier: prepared.modelOptions.widthMultiplier,
          faithful: prepared.modelOptions.faithful,
          seed: prepared.seed,
        }),
    optimizer: prepared.optimizer,
    modality,
    epochs: prepared.epochs,
    batchSize: prepared.batchSize,
    augment: prepared.augment,
    seed: prepared.seed,
    signal: context.signal,
    onEpochEnd: (log) => {
      context.onProgress?.({ ...base, phase: 'train', epoch: log.epoch, epochs: prepared.epochs, accuracy: log.valAccuracy });
    },
  });
}
