/**
 * The browser suite's cases, shared by the page (bundled from the package's build) and by Node
 * (the reference runs in the vitest process): the same seeded inputs and the same calls on both
 * sides. Browser-safe: imports only the package and tfjs-core / tfjs-layers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  architectureNames,
  buildAudioModel,
  buildImageModel,
  decodeJpeg,
  encodeJpeg,
  jpegRoundTrip,
  melSpectrogram,
  mp3RoundTrip,
  syntheticGuitarEffects,
  syntheticSensorImages,
  type ArchitectureName,
  type EstimateNoiseOptions,
  type NoiseEstimate,
} from 'helmholtz-ml';

/** Every codec output of {@link codecOutputs}, as raw bytes (floats as their IEEE bits). */
export type CodecOutputs = Record<string, Uint8Array>;

function bytesOf(data: Uint8Array | Float32Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Runs `jpegRoundTrip` (RGB at three qualities, each subsampling, gray), `encodeJpeg`,
 * `decodeJpeg` (of those streams), `melSpectrogram` and `mp3RoundTrip` (three bitrates) on
 * seeded inputs. Every output must be bit-identical between Node and every browser backend.
 */
export async function codecOutputs(): Promise<CodecOutputs> {
  const [rgb] = syntheticSensorImages({ count: 1, size: 24, noise: 6, seed: 3 }).images;
  const [gray] = syntheticSensorImages({ count: 1, size: 24, channels: 1, noise: 6, seed: 4 }).images;
  const out: CodecOutputs = {};
  for (const quality of [5, 50, 95]) out[`jpegRoundTrip rgb q${quality}`] = jpegRoundTrip(rgb, quality).data;
  for (const subsampling of ['4:4:4', '4:2:2'] as const) {
    out[`jpegRoundTrip rgb q30 ${subsampling}`] = jpegRoundTrip(rgb, 30, { subsampling }).data;
  }
  out['jpegRoundTrip gray q30'] = jpegRoundTrip(gray, 30).data;
  const streams = { rgb: encodeJpeg(rgb, 40), gray: encodeJpeg(gray, 70) };
  for (const [name, stream] of Object.entries(streams)) {
    out[`encodeJpeg ${name}`] = stream;
    out[`decodeJpeg ${name}`] = decodeJpeg(stream).data;
  }
  const clip = syntheticGuitarEffects({ count: 1, duration: 0.25, sampleRate: 16000, seed: 5 }).signals[0];
  out['melSpectrogram'] = bytesOf(melSpectrogram(clip, { sampleRate: 16000, nFft: 512, hopLength: 128, nMels: 40 }).data);
  for (const kbps of [8, 32, 64]) out[`mp3RoundTrip ${kbps} kbps`] = bytesOf(await mp3RoundTrip(clip, 16000, kbps));
  return out;
}

/** Image or audio model family. */
export type Family = 'image' | 'audio';

/** Input shapes of the gradient check (the smallest each family's deepest model accepts). */
const GRADIENT_SHAPES: Record<Family, [number, number, number]> = { image: [16, 16, 3], audio: [48, 48, 1] };

/** The gradient of one training step: the loss and each trainable weight's gradient. */
export interface GradientStep {
  loss: number;
  names: string[];
  gradients: Float32Array[];
}

/**
 * One training step's gradients of model `arch` of `family` at width 1/8 (seeded weights,
 * batch-norm offsets of 1, seeded dropout masks, batch-norm in training mode) on a seeded batch
 * of 4, on the current backend. Disposes everything it makes.
 *
 * The offsets keep the loss differentiable at the point: with the builders' zero offsets and
 * zero biases, ReLU after batch norm leaves zero plateaus, a max-pool window then holds four
 * exactly equal inputs, and the gradient is a sub-gradient whose choice of input differs by
 * backend ({@link maxPoolTieRule}). The audio models' convolution biases differed from cpu by
 * 7e-3 (A) and 0.15 (B) relative on webgpu and webgl for that reason alone; a central finite
 * difference of the loss lay between the two, and with the offsets every weight agrees within
 * 3e-6.
 */
export async function gradientStep(family: Family, arch: ArchitectureName): Promise<GradientStep> {
  const inputShape = GRADIENT_SHAPES[family];
  const [height, , channels] = inputShape;
  const options = { inputShape, numClasses: 4, widthMultiplier: 1 / 8, seed: 11 };
  const model: tfl.Sequential = family === 'image' ? buildImageModel(arch, options) : buildAudioModel(arch, options);
  const set = syntheticSensorImages({ count: 4, size: height, channels: channels as 1 | 3, classes: 4, noise: 4, seed: 12 });
  let seed = 100;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed?: number }).seed = seed++;
    if (layer.getClassName() === 'BatchNormalization') {
      // offsets of 1 keep every unit after batch norm + ReLU active: no zero plateaus, so no
      // max-pool window whose inputs tie exactly (see maxPoolTieRule: backends break ties differently)
      const [gamma, beta, ...moving] = layer.getWeights();
      const offset = tf.fill(beta.shape, 1);
      layer.setWeights([gamma, offset, ...moving]);
      offset.dispose();
    }
  }
  const pixels = new Float32Array(set.images.length * height * height * channels);
  set.images.forEach((image, i) => pixels.set(Array.from(image.data, (v) => v / 255), i * image.data.length));
  const x = tf.tensor4d(pixels, [set.images.length, ...inputShape]);
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(set.labels, 'int32'), 4), 'float32'));
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  try {
    const { value, grads } = tf.variableGrads(() => {
      const p = model.apply(x, { training: true }) as tf.Tensor;
      return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(p, 1e-7))), -1))) as tf.Scalar;
    }, variables);
    const gradients = await Promise.all(variables.map(async (v) => (await grads[v.name].data()) as Float32Array));
    const loss = (await value.data())[0];
    tf.dispose([value, ...Object.values(grads)]);
    return { loss, names: model.trainableWeights.map((w) => w.originalName), gradients };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}

/**
 * Which input of a 2x2 max-pool window receives the gradient when all four inputs tie (zeros):
 * the window's flat index (0 = top left, 3 = bottom right) for each of 4 windows of 1 channel,
 * and the gradient's total (one per window: the sub-gradient of a tie goes to one input).
 */
export async function maxPoolTieRule(): Promise<{ winners: number[]; total: number }> {
  const x = tf.zeros([1, 4, 4, 1]);
  try {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid')))(x);
    const values = (await g.data()) as Float32Array;
    g.dispose();
    const winners: number[] = [];
    for (const [r0, c0] of [[0, 0], [0, 2], [2, 0], [2, 2]]) {
      const window = [values[r0 * 4 + c0], values[r0 * 4 + c0 + 1], values[(r0 + 1) * 4 + c0], values[(r0 + 1) * 4 + c0 + 1]];
      winners.push(window.findIndex((v) => v !== 0));
    }
    return { winners, total: values.reduce((a, b) => a + b, 0) };
  } finally {
    x.dispose();
  }
}

/** Every builder of both families, in order. */
export const GRADIENT_CASES: readonly { family: Family; arch: ArchitectureName }[] = (['image', 'audio'] as const).flatMap((family) =>
  architectureNames.map((arch) => ({ family, arch })),
);

/**
 * Largest relative difference of `got` from `want` over the weights: per weight, the largest
 * absolute difference divided by the largest absolute reference gradient of that weight, or by
 * 1% of the largest over all weights when that is larger (a bias just before batch normalization
 * has a gradient that is zero in exact arithmetic, float noise on every backend). `include`
 * picks the weights compared (default: all).
 */
export function gradientDifference(want: GradientStep, got: GradientStep, include: (name: string) => boolean = () => true): { relative: number; weight: string } {
  let worst = { relative: 0, weight: '' };
  let overall = 0;
  for (const w of want.gradients) for (const v of w) overall = Math.max(overall, Math.abs(v));
  want.gradients.forEach((w, i) => {
    if (!include(want.names[i])) return;
    const g = got.gradients[i];
    let scale = overall * 0.01;
    let diff = 0;
    for (let j = 0; j < w.length; j++) {
      scale = Math.max(scale, Math.abs(w[j]));
      diff = Math.max(diff, Math.abs(w[j] - g[j]));
    }
    const relative = g.length !== w.length || !Number.isFinite(diff) ? Infinity : scale === 0 ? diff : diff / scale;
    if (!(relative <= worst.relative)) worst = { relative, weight: want.names[i] };
  });
  return worst;
}

/** The tiny image sweep: 4 classes of 16x16 RGB sensor images, 3 JPEG levels, 2 epochs. */
export function imageSweepOptions(): EstimateNoiseOptions {
  const train = syntheticSensorImages({ count: 32, size: 16, classes: 4, noise: 4, seed: 21 });
  const test = syntheticSensorImages({ count: 16, size: 16, classes: 4, noise: 4, seed: 22 });
  return { data: { train, test }, levels: [10, 50, 90], epochs: 2, batchSize: 16, modelOptions: { widthMultiplier: 1 / 8 }, seed: 3 };
}

/** The tiny audio sweep: 12 clips of 1 s at 16 kHz (4 effects), 3 MP3 bitrates, 1 epoch. */
export function audioSweepOptions(): EstimateNoiseOptions {
  const effects = ['NoFX', 'Distortion', 'Tremolo', 'FeedbackDelay'] as const;
  const make = (count: number, seed: number) => syntheticGuitarEffects({ count, duration: 1, sampleRate: 16000, effects, seed });
  return {
    modality: 'audio',
    data: { train: make(12, 31), test: make(8, 32) },
    levels: [8, 32, 64],
    epochs: 1,
    batchSize: 4,
    modelOptions: { widthMultiplier: 1 / 8 },
    seed: 3,
  };
}

/** What the sweep cases compare: each level's accuracy, and the knee's level. */
export interface SweepSummary {
  levels: { level: number; accuracy: number }[];
  knee: number | null;
}

/** The parts of an estimate the sweep cases read. */
export function summarizeSweep(estimate: NoiseEstimate): SweepSummary {
  return {
    levels: estimate.levels.map((l) => ({ level: l.level, accuracy: l.accuracy })),
    knee: estimate.knee === null ? null : estimate.knee.level,
  };
}
