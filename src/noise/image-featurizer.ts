/** The image featurizer: pixels scaled to [0, 1], the paper's image models. */
import { selectImages } from '../codecs/image-batch.js';
import { checkLabels, imagesToTensor, packImages } from '../data/tensors.js';
import type { ImageBatch } from '../image/image.js';
import { buildImageModel } from '../models/image.js';
import { describe } from '../util/checks.js';
import type { Featurizer } from './featurizer.js';
import { countClasses } from './sweep-options.js';
import type { LabeledImages } from './types.js';

function checkSplit(name: string, split: unknown): LabeledImages {
  if (typeof split !== 'object' || split === null) {
    throw new TypeError(`data.${name} must be an object { images, labels }, got ${describe(split)}`);
  }
  const s = split as Partial<LabeledImages>;
  if (!Array.isArray(s.images)) throw new TypeError(`data.${name}.images must be an array of images, got ${describe(s.images)}`);
  if (s.images.length === 0) throw new RangeError(`data.${name}.images must not be empty (an empty ${name} set cannot be trained or scored)`);
  if (!Array.isArray(s.labels)) throw new TypeError(`data.${name}.labels must be an array of integer labels, got ${describe(s.labels)}`);
  if (s.labels.length !== s.images.length) {
    throw new RangeError(`data.${name}.labels must have one label per image: ${s.images.length} images but ${s.labels.length} labels`);
  }
  return s as LabeledImages;
}

/**
 * Images: each split packed into one {@link ImageBatch} (one size for train and test), pixels to
 * [0, 1] (`imagesToTensor`), `buildImageModel`.
 *
 * @example
 * const packed = imageFeaturizer.pack({ train, test }, undefined);
 * packed.inputShape; // [32, 32, 3]
 */
export const imageFeaturizer: Featurizer<ImageBatch, null> = {
  modality: 'image',
  optionsOf: () => undefined,
  pack(data) {
    if (typeof data !== 'object' || data === null) {
      throw new TypeError(`data must be an object { train: { images, labels }, test: { images, labels } }, got ${describe(data)}`);
    }
    const train = checkSplit('train', (data as { train?: unknown }).train);
    const test = checkSplit('test', (data as { test?: unknown }).test);
    const classes = countClasses(train.labels, test.labels);
    const trainBatch = packImages(train.images, 'data.train.images');
    const testBatch = packImages(test.images, 'data.test.images');
    if (trainBatch.width !== testBatch.width || trainBatch.height !== testBatch.height || trainBatch.channels !== testBatch.channels) {
      throw new RangeError(
        `data.train and data.test images must have one size: train is ${trainBatch.width}x${trainBatch.height}x${trainBatch.channels}, test is ${testBatch.width}x${testBatch.height}x${testBatch.channels}`,
      );
    }
    return {
      train: trainBatch,
      test: testBatch,
      trainLabels: checkLabels('data.train.labels', train.labels, classes),
      testLabels: checkLabels('data.test.labels', test.labels, classes),
      classes,
      context: { channels: trainBatch.channels },
      inputShape: [trainBatch.height, trainBatch.width, trainBatch.channels],
      settings: null,
    };
  },
  count: (batch) => batch.count,
  select: selectImages,
  toTensors: (parts) => ({
    fit: imagesToTensor(parts.fit),
    ...(parts.validation !== undefined ? { validation: imagesToTensor(parts.validation) } : {}),
    test: imagesToTensor(parts.test),
  }),
  buildArchitecture: buildImageModel,
  checkArchitecture: () => undefined,
  defaults: { batchSize: 128, measureSamples: 64 },
  augmentable: true,
};
