/**
 * The paper's training loop: seeded, leak-free, abortable, and reporting the paper's figures.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { AugmentOptions } from './augment.js';

/** A labeled batch: `y` is one-hot float32. The caller owns and disposes both tensors. */
export interface LabeledTensors {
  x: tf.Tensor4D;
  y: tf.Tensor2D;
}

/** One epoch of training, as reported to `onEpochEnd` and in the history. */
export interface EpochLog {
  /** 1-based epoch number. */
  epoch: number;
  loss: number;
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
  epochs: number;
  /** Default 128 (the original image protocol; the audio protocol uses 50). */
  batchSize?: number;
  /** Default 'adam' (learning rate 1e-3). 'paper-image' / 'paper-audio' = {@link paperOptimizer}. */
  optimizer?: tf.Optimizer | 'adam' | 'paper-image' | 'paper-audio';
  /** Default false; true = the original's shifts of 10% and horizontal flips. */
  augment?: boolean | AugmentOptions;
  /** Default 0. Seeds shuffling and augmentation. */
  seed?: number;
  /** Default true. */
  shuffle?: boolean;
  /** Optional; never stops before `epochsToConverge` is known. */
  earlyStopping?: { patience: number };
  onEpochEnd?: (log: EpochLog) => void | Promise<void>;
  onBatchEnd?: (batch: number, batches: number) => void;
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

/**
 * Trains `model` (compiled here with categorical cross-entropy and accuracy).
 * IMPLEMENTATION IN PROGRESS: the signature is final.
 */
export async function trainClassifier(model: LayersModel, options: TrainOptions): Promise<TrainResult> {
  void model;
  void options;
  throw new Error('trainClassifier: not implemented yet');
}
