/**
 * The featurizer of a sweep: what turns one modality's data into the model's input, and which
 * model family trains on it. Image and audio sweeps differ only here (and in their codec):
 * `imageFeaturizer` scales pixels to [0, 1] for the image models, `audioFeaturizer` computes mel
 * features (standardized with the training statistics when asked) for the audio models.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { CodecContext, Modality } from '../codecs/codec.js';
import type { ArchitectureName } from '../models/architectures.js';

/** Builds one of the paper's architectures of a family (`buildImageModel` or `buildAudioModel`). */
export type ArchitectureBuilder = (
  arch: ArchitectureName,
  options: { inputShape: [number, number, number]; numClasses: number; widthMultiplier: number; faithful: boolean; seed: number },
) => LayersModel;

/** A data set checked and packed by a featurizer: plain data (structured-clonable, shareable with workers). */
export interface PackedData<Batch, Settings> {
  train: Batch;
  test: Batch;
  trainLabels: Int32Array;
  testLabels: Int32Array;
  classes: number;
  /** What the codec's checks depend on (sample rate, channels). */
  context: CodecContext;
  /** The model's input shape [height, width, channels]. */
  inputShape: [number, number, number];
  /** The featurizer's resolved settings (recorded in results files, sent to workers). */
  settings: Settings;
}

/** The tensors a cell trains, validates and tests on; the caller disposes them. */
export interface CellTensors {
  fit: tf.Tensor4D;
  /** Absent when the sweep has no validation split (`validationFraction: 0`). */
  validation?: tf.Tensor4D;
  test: tf.Tensor4D;
}

/** One modality's featurizer and model family. */
export interface Featurizer<Batch, Settings> {
  readonly modality: Modality;
  /** Checks the user's `data` ({ train, test } of this modality) and packs it; `options` are the featurizer's own (e.g. `features`). */
  pack(data: unknown, options: unknown): PackedData<Batch, Settings>;
  /**
   * The `pack` options that give `settings` again on the same data (as structured-clonable
   * JSON, or undefined when the featurizer takes none): how a queue worker, which packs its own
   * copy of the data, featurizes it as the coordinator did.
   */
  optionsOf(settings: Settings): unknown;
  count(batch: Batch): number;
  /** The items at `indices`, as a new batch. */
  select(batch: Batch, indices: readonly number[]): Batch;
  /** Model inputs of the parts of a cell (statistics, if any, from `fit`); `validation` only when given. */
  toTensors(parts: { fit: Batch; validation?: Batch; test: Batch }, settings: Settings): CellTensors;
  /** The model family. */
  readonly buildArchitecture: ArchitectureBuilder;
  /** Throws a `RangeError` (with the remedy) when `arch` cannot take `inputShape`. */
  checkArchitecture(arch: ArchitectureName, inputShape: [number, number, number]): void;
  /** Defaults that differ between modalities. */
  readonly defaults: { batchSize: number; measureSamples: number };
  /** Whether the paper's image augmentation applies. */
  readonly augmentable: boolean;
}
