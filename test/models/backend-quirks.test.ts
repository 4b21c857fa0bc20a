import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { getGradient, getKernel, registerGradient, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { fusedBatchNormGradConfig as coreFusedBatchNormGrad } from '@tensorflow/tfjs-core/dist/gradients/FusedBatchNorm_grad.js';
import { registerBackendQuirks, withTrainingQuirks } from '../../src/models/backend-quirks.js';
import { registerBatchNormForwardFix } from '../../src/models/backend-quirks-batch-norm.js';
import { fusedBatchNormGradConfig } from '../../src/models/wasm-training/batch-norm-gradient.js';
import { trainClassifier } from '../../src/models/train.js';
import { buildAudioModel } from '../../src/models/audio.js';
import { withWebglTextureThreshold } from '../../src/models/webgl-textures.js';
import { initBackends, randomValues } from './wasm-training-setup.js';

/** Batch norm of x [2, 3, 4, 2] with statistics per index of axis 1, computed by broadcasting. */
function reference(x: tf.Tensor4D, mean: tf.Tensor, variance: tf.Tensor, offset: tf.Tensor, scale: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), scale), offset));
}

describe('registerBatchNormForwardFix', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`normalizes over a non-last axis on ${backend} (its own kernel walks the statistics cyclically)`, async () => {
      await initBackends();
      await tf.setBackend(backend);
      const x = tf.tensor4d(randomValues(48, 1), [2, 3, 4, 2]);
      const stats = [2, 3, 4, 5].map((seed) => tf.tensor4d(randomValues(3, seed), [1, 3, 1, 1]));
      const [mean, rawVariance, offset, scale] = stats;
      const variance = tf.abs(rawVariance);
      const want = await reference(x, mean, variance, offset, scale).data();
      expect(registerBatchNormForwardFix(backend)).toBe(true);
      const before = tf.memory().numTensors;
      const got = tf.batchNorm(x, mean, variance, offset, scale, 1e-3);
      Array.from(await got.data()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
      got.dispose();
      expect(tf.memory().numTensors).toBe(before);
      // last-axis statistics still go straight to the backend's kernel
      const last = tf.tensor1d([0.5, -1]);
      const direct = tf.batchNorm(x, last, tf.onesLike(last), last, tf.onesLike(last));
      const wantLast = await tf.add(tf.div(tf.sub(x, last), tf.sqrt(tf.scalar(1 + 1e-3))), last).data();
      Array.from(await direct.data()).forEach((v, i) => expect(v).toBeCloseTo(wantLast[i], 5));
      tf.dispose([x, ...stats, variance, direct, last]);
      await tf.setBackend('cpu');
    });
  }

  it('is idempotent, re-wraps a kernel put back by the backend package, and ignores other backends', async () => {
    await initBackends();
    const wrapped = getKernel('FusedBatchNorm', 'cpu');
    expect(registerBatchNormForwardFix('cpu')).toBe(true);
    const again = getKernel('FusedBatchNorm', 'cpu');
    expect(registerBatchNormForwardFix('cpu')).toBe(true);
    expect(getKernel('FusedBatchNorm', 'cpu')?.kernelFunc).toBe(again?.kernelFunc);
    expect(wrapped).toBeDefined();
    expect(registerBatchNormForwardFix('webgl')).toBe(false);
  });
});

describe('buildAudioModel', () => {
  it('installs the forward fix on cpu, so a model applied outside training normalizes per band', async () => {
    await initBackends();
    await tf.setBackend('cpu');
    const current = getKernel('FusedBatchNorm', 'cpu');
    if (current == null) throw new Error('no cpu FusedBatchNorm');
    unregisterKernel('FusedBatchNorm', 'cpu');
    registerKernel({ kernelName: 'FusedBatchNorm', backendName: 'cpu', kernelFunc: (args) => current.kernelFunc(args) });
    const plain = getKernel('FusedBatchNorm', 'cpu')?.kernelFunc;
    const model = buildAudioModel('A', { inputShape: [24, 24, 1], numClasses: 2, widthMultiplier: 0.125 });
    expect(getKernel('FusedBatchNorm', 'cpu')?.kernelFunc).not.toBe(plain);
    const x = tf.tensor4d(randomValues(2 * 24 * 24, 9), [2, 24, 24, 1]);
    const normalized = tf.tidy(() => {
      const conv = model.layers[0].apply(x) as tf.Tensor;
      return model.layers[1].apply(conv, { training: true }) as tf.Tensor;
    });
    // per band (axis 1) the training-mode output has mean 0
    const bandMeans = await tf.tidy(() => tf.mean(normalized, [0, 2, 3])).data();
    for (const m of bandMeans) expect(Math.abs(m)).toBeLessThan(1e-4);
    tf.dispose([x, normalized]);
    model.dispose();
  });
});

describe('withTrainingQuirks', () => {
  it('lets trainClassifier train batch normalization over axis 1 even with tfjs-core\'s own gradient registered', async () => {
    await initBackends();
    await tf.setBackend('cpu');
    // tfjs-core's own gradient back in place (as a later import of tfjs-layers would do)
    registerGradient(coreFusedBatchNormGrad);
    expect(getGradient('FusedBatchNorm')).toBe(coreFusedBatchNormGrad);
    const model = tfl.sequential({
      layers: [
        tfl.layers.batchNormalization({ axis: 1, inputShape: [6, 5, 1] }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      ],
    });
    const x = tf.tensor4d(randomValues(8 * 30, 7), [8, 6, 5, 1]);
    const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2), 'float32') as tf.Tensor2D;
    const result = await trainClassifier(model, { train: { x, y }, validation: { x, y }, epochs: 1, batchSize: 4 });
    expect(Number.isFinite(result.history[0].loss)).toBe(true);
    expect(getGradient('FusedBatchNorm')).toBe(fusedBatchNormGradConfig);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('runs the function off webgl untouched and checks the threshold', async () => {
    await initBackends();
    await expect(withTrainingQuirks(async () => 7)).resolves.toBe(7);
    await expect(withWebglTextureThreshold(async () => 1, -5)).rejects.toThrow(/bytes must be a finite number >= 0.*-5/);
    registerBackendQuirks('wasm');
    expect(getKernel('FusedBatchNorm', 'wasm')).toBeDefined();
  });

  it('re-installs the forward fix after the kernel was replaced', async () => {
    await initBackends();
    const current = getKernel('FusedBatchNorm', 'cpu');
    if (current == null) throw new Error('no cpu FusedBatchNorm');
    unregisterKernel('FusedBatchNorm', 'cpu');
    registerKernel({ kernelName: 'FusedBatchNorm', backendName: 'cpu', kernelFunc: (args) => current.kernelFunc(args) });
    const plain = getKernel('FusedBatchNorm', 'cpu');
    registerBackendQuirks('cpu');
    expect(getKernel('FusedBatchNorm', 'cpu')?.kernelFunc).not.toBe(plain?.kernelFunc);
  });
});
