/**
 * The paper's training loop: seeded, leak-free, abortable, and reporting the paper's figures.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { checkInteger, checkNumber, describe } from '../util/checks.js';
import { createRandom } from '../util/random.js';
import { augmentBatch, resolveAugmentOptions, type AugmentOptions } from './augment.js';
import { epochsToConverge, topKMeanAccuracy } from './metrics.js';
import { paperOptimizer } from './optimizers.js';
import { withTrainingQuirks } from './backend-quirks.js';

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
  valLoss: number;
  valAccuracy: number;
  /** Wall time of the epoch (training + validation) in seconds. */
  seconds: number;
}

/** Options for {@link trainClassifier}. */
export interface TrainOptions {
  train: LabeledTensors;
  validation: LabeledTensors;
  /** Number of epochs (integer >= 1). */
  epochs: number;
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
   * Optional: stop once validation accuracy has not improved for `patience` epochs, but never
   * before `epochsToConverge` of the history so far is known (non-null).
   */
  earlyStopping?: { patience: number };
  /** Called after each epoch; awaited. */
  onEpochEnd?: (log: EpochLog) => void | Promise<void>;
  /** Called after each training batch with its 1-based index and the batch count per epoch. */
  onBatchEnd?: (batch: number, batches: number) => void;
  /** Aborts training: the promise rejects with an Error named 'AbortError'; nothing leaks. */
  signal?: AbortSignal;
}

/** What {@link trainClassifier} returns. */
export interface TrainResult {
  history: EpochLog[];
  /** Mean of the 10 best validation accuracies (`topKMeanAccuracy`). */
  finalAccuracy: number;
  bestAccuracy: number;
  /** First epoch whose 10-epoch moving average exceeds 0.99 x best, or null. */
  epochsToConverge: number | null;
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

/**
 * Trains `model` with the paper's protocol pieces and returns the per-epoch history and the
 * paper's figures. The model is compiled here (categorical cross-entropy, accuracy) with the
 * chosen optimizer; each epoch shuffles the training set (seeded), optionally augments each
 * batch, trains batch by batch (`trainOnBatch`), then evaluates the validation set in batches.
 *
 * Same seed, same backend, same model weights: same history. Build the model with a `seed`
 * (the builders default to 0) so that its initial weights repeat too; dropout masks are seeded
 * here from `seed` (each dropout layer's seed is set per batch and restored afterwards).
 * Every tensor made here is disposed; with an optimizer created from a name,
 * `tf.memory().numTensors` is back to its starting value once the model is disposed.
 *
 * @throws RangeError/TypeError for bad options; rejects with an Error named 'AbortError' when
 * `signal` aborts.
 * @example
 * const model = buildImageModel('A', { inputShape: [28, 28, 1], widthMultiplier: 0.25 });
 * const result = await trainClassifier(model, { train, validation, epochs: 5, batchSize: 32 });
 * console.log(result.finalAccuracy, result.epochsToConverge);
 * model.dispose();
 */
export async function trainClassifier(model: LayersModel, options: TrainOptions): Promise<TrainResult> {
  const nTrain = checkLabeled('train', options.train);
  checkLabeled('validation', options.validation);
  const epochs = checkInteger('epochs', options.epochs, 1, Number.MAX_SAFE_INTEGER);
  const batchSize = checkInteger('batchSize', options.batchSize ?? 128, 1, Number.MAX_SAFE_INTEGER);
  const seed = checkNumber('seed', options.seed ?? 0);
  const shuffle = options.shuffle ?? true;
  const augment =
    options.augment === undefined || options.augment === false ? null
      : resolveAugmentOptions(options.augment === true ? {} : options.augment);
  const patience =
    options.earlyStopping === undefined ? null
      : checkInteger('earlyStopping.patience', options.earlyStopping.patience, 0, Number.MAX_SAFE_INTEGER);
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

  try {
    if (signal?.aborted) throw abortError(signal);
    model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    let best = -Infinity;
    let sinceBest = 0;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const epochStart = performance.now();
      if (shuffle) shuffleRandom.shuffle(order);
      let lossSum = 0;
      let accSum = 0;
      for (let b = 0; b < batches; b++) {
        const ids = order.slice(b * batchSize, Math.min(nTrain, (b + 1) * batchSize));
        const [xb, yb] = tf.tidy(() => {
          const index = tf.tensor1d(ids, 'int32');
          const x = tf.gather(options.train.x, index) as tf.Tensor4D;
          const input = augment ? augmentBatch(x, augment, augmentRandom) : x;
          return [input, tf.gather(options.train.y, index) as tf.Tensor2D];
        });
        for (const layer of noisy) layer.seed = dropoutRandom.int(2 ** 31);
        let result: number | number[];
        try {
          result = await withTrainingQuirks(() => model.trainOnBatch(xb, yb));
        } finally {
          tf.dispose([xb, yb]);
        }
        const [loss, acc] = Array.isArray(result) ? result : [result, NaN];
        lossSum += loss * ids.length;
        accSum += acc * ids.length;
        options.onBatchEnd?.(b + 1, batches);
        if (signal?.aborted) throw abortError(signal);
      }
      const evaluated = model.evaluate(options.validation.x, options.validation.y, { batchSize });
      const scalars = Array.isArray(evaluated) ? evaluated : [evaluated];
      let valLoss: number;
      let valAccuracy: number;
      try {
        valLoss = (await scalars[0].data())[0];
        valAccuracy = scalars.length > 1 ? (await scalars[1].data())[0] : NaN;
      } finally {
        tf.dispose(scalars);
      }
      const log: EpochLog = {
        epoch,
        loss: lossSum / nTrain,
        accuracy: accSum / nTrain,
        valLoss,
        valAccuracy,
        seconds: (performance.now() - epochStart) / 1000,
      };
      history.push(log);
      await options.onEpochEnd?.(log);
      if (signal?.aborted) throw abortError(signal);
      if (valAccuracy > best) {
        best = valAccuracy;
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      if (patience !== null && sinceBest >= patience && epochsToConverge(history) !== null) break;
    }
  } finally {
    noisy.forEach((layer, i) => {
      layer.seed = originalSeeds[i];
    });
    if (ownsOptimizer) optimizer.dispose();
  }
  return {
    history,
    finalAccuracy: topKMeanAccuracy(history),
    bestAccuracy: Math.max(...history.map((h) => h.valAccuracy)),
    epochsToConverge: epochsToConverge(history),
    seconds: (performance.now() - start) / 1000,
  };
}
