/**
 * The training loop: seeded, leak-free, abortable; the validation set picks the epoch, the test set is reported.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { checkInteger, checkNumber, describe } from '../util/checks.js';
import { createRandom } from '../util/random.js';
import { augmentBatch, resolveAugmentOptions, type AugmentOptions } from './augment.js';
import { summarizeHistory, type HistorySummary } from './metrics.js';
import { paperOptimizer } from './optimizers.js';
import { withTrainingQuirks } from './backend-quirks.js';
import { createTrainStep, evaluateClassifier } from './train-step.js';

/** A labeled batch: `y` is one-hot float32. The caller owns and disposes both tensors. */
export interface LabeledTensors {
  x: tf.Tensor4D;
  y: tf.Tensor2D;
}

/** One epoch of training, as reported to `onEpochEnd` and in the history. */
export interface EpochLog {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss over the epoch's batches (weighted by batch size, dropout active). */
  loss: number;
  /** Mean training accuracy over the epoch's batches. */
  accuracy: number;
  /** Loss and accuracy on the validation set (the set that selects the epoch). */
  valLoss: number;
  valAccuracy: number;
  /** Loss and accuracy on the test set; present when `test` was given (else the validation set is the test set). */
  testLoss?: number;
  testAccuracy?: number;
  /** Wall time of the epoch (training + validation + test) in seconds. */
  seconds: number;
}

/** Options for {@link trainClassifier}. */
export interface TrainOptions {
  train: LabeledTensors;
  /** Picks the epoch (`selectedEpoch`) and drives `epochs: 'auto'`. Never trained on. */
  validation: LabeledTensors;
  /**
   * Evaluated after every epoch and never used for any choice; `accuracy` is its accuracy at the
   * selected epoch. Without it the validation set is also the test set (the paper's protocol,
   * which makes `accuracy` optimistic).
   */
  test?: LabeledTensors;
  /**
   * A fixed number of epochs (integer >= 1), or `'auto'`: train until the validation accuracy
   * has not improved for `patience` epochs, at most `maxEpochs`.
   */
  epochs: number | 'auto';
  /** Only with `epochs: 'auto'`: epochs without a new best validation accuracy before stopping (integer >= 1, default 5). */
  patience?: number;
  /** Only with `epochs: 'auto'`: the most epochs to run (integer >= 1, default 100). */
  maxEpochs?: number;
  /** Default 128 (the original image protocol; the audio protocol uses 50). */
  batchSize?: number;
  /**
   * Default 'adam' (learning rate 1e-3). 'paper-image' / 'paper-audio' = `paperOptimizer`.
   * An optimizer created from a name is disposed when training ends; pass an instance to keep
   * (and own) its state.
   */
  optimizer?: tf.Optimizer | 'adam' | 'paper-image' | 'paper-audio';
  /** Default false; true = the original's shifts of 10% and horizontal flips (`augmentBatch`). */
  augment?: boolean | AugmentOptions;
  /** Default 0. Seeds shuffling, augmentation and dropout masks. */
  seed?: number;
  /** Shuffle the training set every epoch (default true). */
  shuffle?: boolean;
  /**
   * @deprecated Use `epochs: 'auto'` with `patience` and `maxEpochs`. With a number of epochs N,
   * `earlyStopping: { patience }` is the same as `epochs: 'auto', patience, maxEpochs: N`.
   */
  earlyStopping?: { patience: number };
  /** Called after each epoch; awaited. */
  onEpochEnd?: (log: EpochLog) => void | Promise<void>;
  /** Called after each training batch with its 1-based index and the batch count per epoch. */
  onBatchEnd?: (batch: number, batches: number) => void;
  /** Aborts training: the promise rejects with an Error named 'AbortError'; nothing leaks. */
  signal?: AbortSignal;
}

/**
 * What {@link trainClassifier} returns: the history and the figures {@link summarizeHistory}
 * reads off it (`accuracy` is the test accuracy at the epoch the validation set selects).
 */
export interface TrainResult extends HistorySummary {
  history: EpochLog[];
  /** Total wall time in seconds. */
  seconds: number;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  const error = new Error(`trainClassifier aborted${reason instanceof Error ? `: ${reason.message}` : ''}`);
  error.name = 'AbortError';
  return error;
}

function checkLabeled(name: string, data: LabeledTensors): number {
  if (data == null || !(data.x instanceof tf.Tensor) || data.x.rank !== 4) {
    throw new TypeError(`${name}.x must be a rank-4 tensor [N, H, W, C], got ${data?.x instanceof tf.Tensor ? `rank ${data.x.rank}` : describe(data?.x)}`);
  }
  if (!(data.y instanceof tf.Tensor) || data.y.rank !== 2) {
    throw new TypeError(`${name}.y must be a rank-2 one-hot tensor [N, classes], got ${data.y instanceof tf.Tensor ? `rank ${data.y.rank}` : describe(data.y)}`);
  }
  const n = data.x.shape[0];
  if (n < 1 || data.y.shape[0] !== n) {
    throw new RangeError(`${name} must hold at least one example and as many labels as images, got ${n} images and ${data.y.shape[0]} labels`);
  }
  return n;
}

/** Layers whose randomness comes from a `seed` field read at call time (dropout and noise). */
interface SeededLayer {
  seed?: number;
}

function seededLayers(model: LayersModel): SeededLayer[] {
  const out: SeededLayer[] = [];
  const visit = (layers: readonly { getClassName(): string }[]): void => {
    for (const layer of layers) {
      const nested = (layer as unknown as { layers?: { getClassName(): string }[] }).layers;
      if (Array.isArray(nested)) visit(nested);
      if (/Dropout|Noise/.test(layer.getClassName())) out.push(layer as unknown as SeededLayer);
    }
  };
  visit(model.layers);
  return out;
}

/** The epoch budget of a run: a fixed count, or 'auto' with its patience and ceiling. */
interface EpochBudget {
  maxEpochs: number;
  /** null: run all `maxEpochs`. */
  patience: number | null;
}

function resolveEpochs(options: TrainOptions): EpochBudget {
  const { epochs, patience, maxEpochs, earlyStopping } = options;
  const max = Number.MAX_SAFE_INTEGER;
  if (epochs === 'auto') {
    if (earlyStopping !== undefined) {
      throw new RangeError("earlyStopping cannot be combined with epochs: 'auto'; use patience (and maxEpochs) instead");
    }
    return {
      patience: checkInteger('patience', patience ?? 5, 1, max),
      maxEpochs: checkInteger('maxEpochs', maxEpochs ?? 100, 1, max),
    };
  }
  if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 1) {
    throw new RangeError(`epochs must be 'auto' or an integer >= 1, got ${describe(epochs)}`);
  }
  if (patience !== undefined) throw new RangeError(`patience is only allowed with epochs: 'auto', got patience ${describe(patience)} with epochs ${epochs}`);
  if (maxEpochs !== undefined) throw new RangeError(`maxEpochs is only allowed with epochs: 'auto', got maxEpochs ${describe(maxEpochs)} with epochs ${epochs}`);
  if (earlyStopping !== undefined) {
    return { maxEpochs: epochs, patience: checkInteger('earlyStopping.patience', earlyStopping?.patience, 1, max) };
  }
  return { maxEpochs: epochs, patience: null };
}

/** Lets timers and events (an abort, a worker's message) run about every 50 ms of a long synchronous loop. */
function yielder(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < 50) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    last = performance.now();
  };
}

/**
 * Trains `model` with the paper's protocol pieces and returns the per-epoch history and the
 * run's figures. The model is compiled here (categorical cross-entropy, accuracy) with the
 * chosen optimizer; each epoch shuffles the training set (seeded), optionally augments each
 * batch, trains batch by batch with a lean step on tfjs-core (`createTrainStep`: the same
 * arithmetic as the layers' `trainOnBatch`, without its per-call machinery), then evaluates the
 * validation set and the test set in batches of at least 256 (`evaluateClassifier`). Losses and accuracies stay
 * on the backend until the end of the epoch.
 *
 * The validation set picks the epoch: `selectedEpoch` is the epoch of the best validation
 * accuracy (earliest on ties) and `accuracy` is the *test* accuracy there. `paperAccuracy` is the
 * paper's mean of the 10 best test accuracies (biased upward and budget-dependent),
 * `lastAccuracy` the last epoch's, `bestAccuracy` the best epoch's; `epochsToConverge` uses a
 * window scaled to the run (`convergenceWindow`) and `stillImproving` says whether the
 * validation accuracy was still at its best at the end (see `summarizeHistory`).
 * `epochs: 'auto'` stops once the validation accuracy has not improved for `patience` epochs
 * (default 5), at most `maxEpochs` (default 100).
 *
 * Same seed, same backend, same model weights: same history. Build the model with a `seed`
 * (the builders default to 0) so that its initial weights repeat too; dropout masks are seeded
 * here from `seed` (each dropout layer's seed is set per batch and restored afterwards).
 * Every tensor made here is disposed; with an optimizer created from a name,
 * `tf.memory().numTensors` is back to its starting value once the model is disposed.
 *
 * @throws RangeError/TypeError for bad options (before any work, e.g. `patience` without
 * `epochs: 'auto'`); rejects with an Error named 'AbortError' when `signal` aborts.
 * @example
 * const model = buildImageModel('A', { inputShape: [28, 28, 1], widthMultiplier: 0.25 });
 * const result = await trainClassifier(model, { train, validation, test, epochs: 'auto', batchSize: 64 });
 * console.log(result.accuracy, result.selectedEpoch, result.epochsRun, result.stillImproving);
 * model.dispose();
 */
export async function trainClassifier(model: LayersModel, options: TrainOptions): Promise<TrainResult> {
  const nTrain = checkLabeled('train', options.train);
  checkLabeled('validation', options.validation);
  const test = options.test === undefined || options.test === options.validation ? null : options.test;
  if (test !== null) checkLabeled('test', test);
  const { maxEpochs, patience } = resolveEpochs(options);
  const batchSize = checkInteger('batchSize', options.batchSize ?? 128, 1, Number.MAX_SAFE_INTEGER);
  const seed = checkNumber('seed', options.seed ?? 0);
  const shuffle = options.shuffle ?? true;
  const augment =
    options.augment === undefined || options.augment === false ? null
      : resolveAugmentOptions(options.augment === true ? {} : options.augment);
  const choice = options.optimizer ?? 'adam';
  let optimizer: tf.Optimizer;
  let ownsOptimizer = true;
  if (choice === 'adam') optimizer = tf.train.adam(1e-3);
  else if (choice === 'paper-image') optimizer = paperOptimizer('image');
  else if (choice === 'paper-audio') optimizer = paperOptimizer('audio');
  else if (choice instanceof tf.Optimizer) {
    optimizer = choice;
    ownsOptimizer = false;
  } else {
    throw new RangeError(`optimizer must be a tf.Optimizer or one of "adam", "paper-image", "paper-audio", got ${describe(choice)}`);
  }
  const signal = options.signal;

  const shuffleRandom = createRandom(seed);
  const augmentRandom = createRandom(seed + 0x51ed27);
  const dropoutRandom = createRandom(seed + 0x2545f491);
  const noisy = seededLayers(model);
  const originalSeeds = noisy.map((layer) => layer.seed);
  const history: EpochLog[] = [];
  const start = performance.now();
  const order = Array.from({ length: nTrain }, (_, i) => i);
  const batches = Math.ceil(nTrain / batchSize);
  // Evaluation batches: at least 256 images (fewer, larger calls: 1,000 Fashion-MNIST images
  // through model A at width 0.25 cost 860 instead of 1,160 ms CPU at 64); the figures do not
  // depend on it beyond float rounding of the sums.
  const evalBatch = Math.max(batchSize, 256);

  const pause = yielder();
  try {
    if (signal?.aborted) throw abortError(signal);
    // Compiled as before (so that `model.evaluate` works afterwards); training runs the lean step.
    model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const step = createTrainStep(model, optimizer);
    let best = -Infinity;
    let sinceBest = 0;
    for (let epoch = 1; epoch <= maxEpochs; epoch++) {
      const epochStart = performance.now();
      if (shuffle) shuffleRandom.shuffle(order);
      // Sums of the batches' losses (weighted by batch size) and correct counts stay on the
      // backend and are read once per epoch.
      let lossSum: tf.Scalar = tf.scalar(0);
      let correctSum: tf.Scalar = tf.scalar(0);
      let trainLoss: number;
      let trainAccuracy: number;
      try {
        for (let b = 0; b < batches; b++) {
          const ids = order.slice(b * batchSize, Math.min(nTrain, (b + 1) * batchSize));
          const [xb, yb] = tf.tidy(() => {
            const index = tf.tensor1d(ids, 'int32');
            const x = tf.gather(options.train.x, index) as tf.Tensor4D;
            const input = augment ? augmentBatch(x, augment, augmentRandom) : x;
            return [input, tf.gather(options.train.y, index) as tf.Tensor2D];
          });
          for (const layer of noisy) layer.seed = dropoutRandom.int(2 ** 31);
          try {
            const { loss, correct } = await withTrainingQuirks(async () => step(xb, yb));
            const sums = tf.tidy(() => [tf.add(lossSum, tf.mul(loss, ids.length)), tf.add(correctSum, correct)] as tf.Scalar[]);
            tf.dispose([loss, correct, lossSum, correctSum]);
            [lossSum, correctSum] = sums;
          } finally {
            tf.dispose([xb, yb]);
          }
          options.onBatchEnd?.(b + 1, batches);
          await pause();
          if (signal?.aborted) throw abortError(signal);
        }
        const [lossTotal, correctTotal] = await Promise.all([lossSum.data(), correctSum.data()]);
        trainLoss = lossTotal[0] / nTrain;
        trainAccuracy = correctTotal[0] / nTrain;
      } finally {
        tf.dispose([lossSum, correctSum]);
      }
      const validation = await evaluateClassifier(model, options.validation.x, options.validation.y, evalBatch);
      const log: EpochLog = {
        epoch,
        loss: trainLoss,
        accuracy: trainAccuracy,
        valLoss: validation.loss,
        valAccuracy: validation.accuracy,
        seconds: 0,
      };
      if (test !== null) {
        const tested = await evaluateClassifier(model, test.x, test.y, evalBatch);
        log.testLoss = tested.loss;
        log.testAccuracy = tested.accuracy;
      }
      log.seconds = (performance.now() - epochStart) / 1000;
      history.push(log);
      await options.onEpochEnd?.(log);
      if (signal?.aborted) throw abortError(signal);
      if (log.valAccuracy > best) {
        best = log.valAccuracy;
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      if (patience !== null && sinceBest >= patience) break;
    }
  } finally {
    noisy.forEach((layer, i) => {
      layer.seed = originalSeeds[i];
    });
    if (ownsOptimizer) optimizer.dispose();
  }
  return { history, ...summarizeHistory(history, { patience }), seconds: (performance.now() - start) / 1000 };
}
