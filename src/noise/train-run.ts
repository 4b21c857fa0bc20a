/**
 * One training of a cell, through ONE call of the trainer (`trainClassifier`): a fresh model and
 * optimizer, the fit / validation / test tensors, and the run's figures as CONTRACT.md states
 * them (test accuracy at the epoch validation selects, the paper's top-10 mean, last, best,
 * epochs to converge, still improving). Disposes the model, the tensors and any optimizer it made.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Modality } from '../codecs/codec.js';
import { epochsToConverge, topKMeanAccuracy } from '../models/metrics.js';
import { trainClassifier, type EpochLog, type LabeledTensors, type TrainOptions } from '../models/train.js';
import type { EpochBudget } from './sweep-options.js';
import type { NoiseOptimizer } from './types.js';

/** An epoch log with the test set's figures (present when a test set was given). */
export type RunEpochLog = EpochLog & { testLoss?: number; testAccuracy?: number };

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

/** The figures of one run (CONTRACT.md's TrainResult). */
export interface RunTrainResult {
  /** Test accuracy at `selectedEpoch`. */
  accuracy: number;
  selectedEpoch: number;
  paperAccuracy: number;
  lastAccuracy: number;
  bestAccuracy: number;
  epochsToConverge: number | null;
  stillImproving: boolean;
  epochsRun: number;
  history: RunEpochLog[];
  seconds: number;
}

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

/** CONTRACT.md's TrainOptions (the trainer helper's new fields). */
type ContractTrainOptions = Omit<TrainOptions, 'epochs' | 'onEpochEnd'> & {
  test?: LabeledTensors;
  epochs: number | 'auto';
  patience?: number;
  maxEpochs?: number;
  onEpochEnd?: (log: RunEpochLog) => void | Promise<void>;
};

/** CONTRACT.md's TrainResult fields, when the trainer returns them. */
type ContractTrainResult = Partial<Omit<RunTrainResult, 'history' | 'seconds'>> & { history: RunEpochLog[]; seconds: number };

/**
 * The ONE call of the trainer. CONTRACT: with the trainer helper's train.ts this becomes
 * `trainClassifier(model, options)` as is; the current train.ts lacks `test`, `epochs: 'auto'`,
 * `patience` and `maxEpochs`, so this stand-in evaluates the test set after every epoch itself
 * and maps `'auto'` onto `maxEpochs` epochs with `earlyStopping: { patience }`.
 */
async function callTrainer(model: LayersModel, options: ContractTrainOptions): Promise<ContractTrainResult> {
  const { test, epochs, patience, maxEpochs, onEpochEnd, ...rest } = options;
  // CONTRACT: stand-in for the trainer's own `test` evaluation (EpochLog.testLoss/testAccuracy).
  const evaluateTest = async (log: RunEpochLog): Promise<void> => {
    if (!test || log.testAccuracy !== undefined) return;
    const evaluated = model.evaluate(test.x, test.y, { batchSize: options.batchSize ?? 128 });
    const scalars = Array.isArray(evaluated) ? evaluated : [evaluated];
    try {
      log.testLoss = (await scalars[0].data())[0];
      log.testAccuracy = scalars.length > 1 ? (await scalars[1].data())[0] : NaN;
    } finally {
      tf.dispose(scalars);
    }
  };
  const current: TrainOptions = {
    ...rest,
    // CONTRACT: stand-in for epochs 'auto' / patience / maxEpochs.
    epochs: epochs === 'auto' ? (maxEpochs ?? 100) : epochs,
    ...(epochs === 'auto' ? { earlyStopping: { patience: patience ?? 5 } } : {}),
    onEpochEnd: async (log: RunEpochLog) => {
      await evaluateTest(log);
      await onEpochEnd?.(log);
    },
  };
  return (await trainClassifier(model, current)) as unknown as ContractTrainResult;
}

/**
 * CONTRACT: the figures of a history with test accuracies, for a trainer that does not return
 * them yet (the trainer helper's train.ts computes them itself).
 */
function figuresOf(history: readonly RunEpochLog[]): Omit<RunTrainResult, 'history' | 'seconds'> {
  let selected = 0;
  history.forEach((h, i) => {
    if (h.valAccuracy > history[selected].valAccuracy) selected = i;
  });
  const tests = history.map((h) => ({ valAccuracy: h.testAccuracy ?? h.valAccuracy }));
  return {
    accuracy: tests[selected].valAccuracy,
    selectedEpoch: selected + 1,
    paperAccuracy: topKMeanAccuracy(tests),
    lastAccuracy: tests[tests.length - 1].valAccuracy,
    bestAccuracy: Math.max(...tests.map((t) => t.valAccuracy)),
    epochsToConverge: epochsToConverge(tests),
    stillImproving: history.length > 1 && selected === history.length - 1,
    epochsRun: history.length,
  };
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
    const result = await callTrainer(model, {
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
    const figures = result.selectedEpoch !== undefined ? (result as RunTrainResult) : figuresOf(result.history);
    return { ...figuresOf(result.history), ...pickFigures(figures), history: result.history, seconds: result.seconds };
  } finally {
    model?.dispose();
    tf.dispose([run.fit.x, run.fit.y, run.validation.x, run.validation.y, run.test.x, run.test.y]);
    if (owned && typeof optimizer !== 'string') optimizer.dispose();
  }
}

function pickFigures(f: Omit<RunTrainResult, 'history' | 'seconds'>): Omit<RunTrainResult, 'history' | 'seconds'> {
  const { accuracy, selectedEpoch, paperAccuracy, lastAccuracy, bestAccuracy, epochsToConverge: e, stillImproving, epochsRun } = f;
  return { accuracy, selectedEpoch, paperAccuracy, lastAccuracy, bestAccuracy, epochsToConverge: e, stillImproving, epochsRun };
}
