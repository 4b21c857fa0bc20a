/**
 * One training of a cell, through ONE call of the trainer (`trainClassifier`): a fresh model and
 * optimizer, the fit / validation / test tensors, and the run's figures (test accuracy at the epoch validation selects, the paper's top-10 mean, last, best,
 * epochs to converge, still improving). Disposes the model, the tensors and any optimizer it made.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Modality } from '../codecs/codec.js';
import { trainClassifier, type EpochLog, type LabeledTensors, type TrainResult } from '../models/train.js';
import type { EpochBudget } from './sweep-options.js';
import type { NoiseOptimizer } from './types.js';

/** An epoch log with the test set's figures (the trainer's `EpochLog`). */
export type RunEpochLog = EpochLog;

/** What {@link trainRun} needs. Takes ownership of the tensors. */
export interface RunTraining {
  fit: LabeledTensors;
  validation: LabeledTensors;
  test: LabeledTensors;
  buildModel: () => LayersModel;
  optimizer: NoiseOptimizer;
  modality: Modality;
  budget: EpochBudget;
  batchSize: number;
  augment: boolean;
  seed: number;
  signal?: AbortSignal;
  onEpochEnd?: (log: RunEpochLog) => void;
}

/** The figures of one run: the trainer's `TrainResult` (test accuracy at the selected epoch, ...). */
export type RunTrainResult = TrainResult;

/**
 * A fresh optimizer for one run, and whether the run owns (must dispose) it: `'paper'` becomes
 * the modality's protocol (`'paper-image'` SGD or `'paper-audio'` Adadelta), a `tf.Optimizer` is
 * copied from its config (so no state leaks between runs), a factory is called.
 *
 * @example
 * const { optimizer, owned } = runOptimizer('paper', 'audio'); // { optimizer: 'paper-audio', owned: false }
 */
export function runOptimizer(
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

/**
 * Trains one run: builds the model, trains on `fit`, selects the epoch on `validation`, scores
 * `test`; then disposes the model, every tensor given and any optimizer the run made, whether
 * training finished, failed or was aborted.
 *
 * @example
 * const r = await trainRun({ fit, validation, test, buildModel, optimizer: 'adam', modality: 'image', budget: { epochs: 2 }, batchSize: 32, augment: false, seed: 0 });
 * r.accuracy; // test accuracy at the selected epoch
 */
export async function trainRun(run: RunTraining): Promise<RunTrainResult> {
  let model: LayersModel | null = null;
  const { optimizer, owned } = runOptimizer(run.optimizer, run.modality);
  try {
    model = run.buildModel();
    const result = await trainClassifier(model, {
      train: run.fit,
      validation: run.validation,
      test: run.test,
      ...(run.budget.epochs === 'auto' ? { epochs: 'auto', patience: run.budget.patience, maxEpochs: run.budget.maxEpochs } : { epochs: run.budget.epochs }),
      batchSize: run.batchSize,
      optimizer,
      augment: run.augment,
      seed: run.seed,
      signal: run.signal,
      onEpochEnd: run.onEpochEnd,
    });
    return result;
  } finally {
    model?.dispose();
    tf.dispose([run.fit.x, run.fit.y, run.validation.x, run.validation.y, run.test.x, run.test.y]);
    if (owned && typeof optimizer !== 'string') optimizer.dispose();
  }
}
