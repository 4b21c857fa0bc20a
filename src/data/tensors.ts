/**
 * Conversions from the library's 8-bit images and integer labels to training tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertImage, type Image, type ImageBatch } from '../image/image.js';
import { checkInteger, describe } from '../util/checks.js';

/**
 * Packs same-sized images into one contiguous {@link ImageBatch} (N x H x W x C).
 *
 * @throws TypeError/RangeError for an empty list, a malformed image, or mixed sizes/channels,
 *   naming the first offending image.
 * @example
 * const batch = packImages([img1, img2]); // { count: 2, width, height, channels, data }
 */
export function packImages(images: readonly Image[], name = 'images'): ImageBatch {
  if (!Array.isArray(images)) throw new TypeError(`${name} must be an array of images, got ${describe(images)}`);
  if (images.length === 0) throw new RangeError(`${name} must not be empty`);
  assertImage(images[0], `${name}[0]`);
  const { width, height, channels } = images[0];
  const size = width * height * channels;
  const data = new Uint8Array(images.length * size);
  images.forEach((image, i) => {
    assertImage(image, `${name}[${i}]`);
    if (image.width !== width || image.height !== height || image.channels !== channels) {
      throw new RangeError(
        `${name} must all have one size: ${name}[0] is ${width}x${height}x${channels}, ${name}[${i}] is ${image.width}x${image.height}x${image.channels}`,
      );
    }
    data.set(image.data, i * size);
  });
  return { count: images.length, width, height, channels, data };
}

/**
 * Splits an {@link ImageBatch} back into images (views on copies, one per image).
 *
 * @example
 * const images = unpackImages(batch); // images.length === batch.count
 */
export function unpackImages(batch: ImageBatch): Image[] {
  const size = batch.width * batch.height * batch.channels;
  const out: Image[] = [];
  for (let i = 0; i < batch.count; i++) {
    out.push({ width: batch.width, height: batch.height, channels: batch.channels, data: batch.data.slice(i * size, (i + 1) * size) });
  }
  return out;
}

/**
 * A float32 tensor [N, H, W, C] with pixels scaled to [0, 1] (`value / 255`, as the paper).
 * The caller owns (and disposes) the tensor.
 *
 * @example
 * const x = imagesToTensor(packImages(images)); // tf.Tensor4D
 * x.dispose();
 */
export function imagesToTensor(input: ImageBatch | readonly Image[]): tf.Tensor4D {
  const batch = Array.isArray(input) ? packImages(input as readonly Image[]) : (input as ImageBatch);
  const scaled = new Float32Array(batch.data.length);
  for (let i = 0; i < scaled.length; i++) scaled[i] = batch.data[i] / 255;
  return tf.tensor4d(scaled, [batch.count, batch.height, batch.width, batch.channels], 'float32');
}

/**
 * Checks integer labels in `0..classes-1` and returns them as an `Int32Array`.
 *
 * @throws RangeError naming the first bad label.
 * @example
 * checkLabels('train.labels', [0, 2, 1], 3); // Int32Array [0, 2, 1]
 */
export function checkLabels(name: string, labels: readonly number[], classes: number): Int32Array {
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels)) {
    throw new TypeError(`${name} must be an array of integer class labels, got ${describe(labels)}`);
  }
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = checkInteger(`${name}[${i}]`, labels[i], 0, classes - 1);
  return out;
}

/**
 * One-hot float32 labels [N, classes]. The caller owns (and disposes) the tensor.
 *
 * @example
 * const y = labelsToOneHot([0, 2], 3); // [[1, 0, 0], [0, 0, 1]]
 * y.dispose();
 */
export function labelsToOneHot(labels: readonly number[] | Int32Array, classes: number): tf.Tensor2D {
  checkInteger('classes', classes, 1, 1 << 24);
  const checked = labels instanceof Int32Array ? labels : checkLabels('labels', labels, classes);
  const data = new Float32Array(checked.length * classes);
  for (let i = 0; i < checked.length; i++) {
    const c = checked[i];
    if (c < 0 || c >= classes) throw new RangeError(`labels[${i}] must be an integer in 0..${classes - 1}, got ${c}`);
    data[i * classes + c] = 1;
  }
  return tf.tensor2d(data, [checked.length, classes], 'float32');
}
