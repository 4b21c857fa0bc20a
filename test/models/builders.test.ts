import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { Sequential } from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { audioArchitectures, imageArchitectures } from '../../src/models/architectures.js';
import { buildAudioModel } from '../../src/models/audio.js';
import { buildImageModel } from '../../src/models/image.js';

const archs = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
const built: Sequential[] = [];
const keep = (m: Sequential): Sequential => (built.push(m), m);

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  while (built.length) built.pop()!.dispose();
});

/** [layer class, output shape without the batch dimension] for every layer. */
type Row = [string, number[]];
const shapes = (m: Sequential): Row[] =>
  m.layers.map((l) => [l.getClassName(), (l.outputShape as (number | null)[]).slice(1) as number[]]);

// Image expectations at 32x32x3, 10 classes.
const stem: Row[] = [
  ['Conv2D', [32, 32, 32]], ['Activation', [32, 32, 32]],
  ['Conv2D', [32, 32, 64]], ['Activation', [32, 32, 64]],
  ['Conv2D', [16, 16, 128]], ['Dropout', [16, 16, 128]],
];
const group = (s: number): Row[] => [
  ['Conv2D', [s, s, 128]], ['Activation', [s, s, 128]],
  ['Conv2D', [s, s, 128]], ['Activation', [s, s, 128]],
  ['Conv2D', [s / 2, s / 2, 128]], ['Dropout', [s / 2, s / 2, 128]],
];
const allConv = (s: number): Row[] => [
  ['Conv2D', [s, s, 128]], ['Activation', [s, s, 128]],
  ['Conv2D', [s, s, 128]], ['Activation', [s, s, 128]],
  ['Conv2D', [s, s, 10]], ['GlobalAveragePooling2D', [10]], ['Activation', [10]],
];
const dense = (flat: number, units: number[]): Row[] => [
  ['Flatten', [flat]],
  ...units.flatMap((u): Row[] => [['Dense', [u]], ['Activation', [u]], ['Dropout', [u]]]),
  ['Dense', [10]], ['Activation', [10]],
];
const imageShapes: Record<(typeof archs)[number], Row[]> = {
  A: [...stem, ...group(16), ...allConv(8)],
  B: [...stem, ...group(16), ...dense(8192, [64, 256])],
  C: [...stem, ...group(16), ...group(8), ...allConv(4)],
  D: [...stem, ...group(16), ...group(8), ...dense(2048, [128, 256])],
  E: [...stem, ...group(16), ...dense(8192, [128, 256])],
  F: [...stem, ...group(16), ...dense(8192, [128, 256, 256])],
};

// Audio expectations at 96x173x1, 12 classes.
const audioStem: Row[] = [['Conv2D', [94, 171, 32]], ['BatchNormalization', [94, 171, 32]], ['Activation', [94, 171, 32]]];
const loops = (n: number): Row[] => {
  const rows: Row[] = [];
  let [h, w] = [94, 171];
  for (let i = 0; i < n; i++) {
    rows.push(['Conv2D', [h - 2, w - 2, 32]], ['Activation', [h - 2, w - 2, 32]]);
    [h, w] = [Math.floor((h - 2) / 2), Math.floor((w - 2) / 2)];
    rows.push(['MaxPooling2D', [h, w, 32]], ['Dropout', [h, w, 32]]);
  }
  return rows;
};
const audioHead = (flat: number, units: number[]): Row[] => [
  ['Flatten', [flat]],
  ...units.flatMap((u): Row[] => [['Dense', [u]], ['Activation', [u]], ['Dropout', [u]]]),
  ['Dense', [12]], ['Activation', [12]],
];
const audioShapes: Record<(typeof archs)[number], Row[]> = {
  A: [...audioStem, ...loops(3), ...audioHead(10 * 19 * 32, [])],
  B: [...audioStem, ...loops(4), ...audioHead(4 * 8 * 32, [128])],
  C: [...audioStem, ...loops(3), ...audioHead(6080, [64, 128])],
  D: [...audioStem, ...loops(3), ...audioHead(6080, [128])],
  E: [...audioStem, ...loops(3), ...audioHead(6080, [128, 128])],
  F: [...audioStem, ...loops(2), ...audioHead(22 * 41 * 32, [128])],
};

describe('buildImageModel', () => {
  it.each(archs)('architecture %s has the original parameter count and layer shapes', (arch) => {
    const model = keep(buildImageModel(arch));
    expect(model.countParams()).toBe(imageArchitectures.find((a) => a.name === arch)!.parameters);
    expect(shapes(model)).toEqual(imageShapes[arch]);
  });

  it('parameter counts are exactly the paper\'s', () => {
    expect(imageArchitectures.map((a) => a.parameters)).toEqual([701386, 1079562, 1144138, 1276618, 1620298, 1686090]);
  });

  it('faithful keeps a ReLU on the last dense layer of B, D, E, F only', () => {
    for (const arch of archs) {
      const plain = keep(buildImageModel(arch));
      const faithful = keep(buildImageModel(arch, { faithful: true }));
      expect(faithful.countParams()).toBe(plain.countParams());
      const extra = arch === 'A' || arch === 'C' ? 0 : 1;
      expect(faithful.layers.length).toBe(plain.layers.length + extra);
      if (extra) {
        const relu = faithful.layers[faithful.layers.length - 2].getConfig() as { activation: string };
        expect(relu.activation).toBe('relu');
      }
    }
  });

  it('takes 28x28x1 and 64x64x3 inputs and any class count', () => {
    const fashion = keep(buildImageModel('B', { inputShape: [28, 28, 1], numClasses: 10 }));
    expect(fashion.layers.find((l) => l.getClassName() === 'Flatten')!.outputShape).toEqual([null, 7 * 7 * 128]);
    const big = keep(buildImageModel('C', { inputShape: [64, 64, 3], numClasses: 2 }));
    expect(big.outputShape).toEqual([null, 2]);
    const odd = keep(buildImageModel('F', { inputShape: [5, 7, 3], numClasses: 3 }));
    expect(odd.outputShape).toEqual([null, 3]);
    const out = tf.tidy(() => (odd.predict(tf.zeros([2, 5, 7, 3])) as tf.Tensor).shape);
    expect(out).toEqual([2, 3]);
  });

  it('widthMultiplier scales every filter and unit count (rounded, at least 1)', () => {
    const half = keep(buildImageModel('B', { widthMultiplier: 0.5 }));
    const units = half.layers
      .filter((l) => ['Conv2D', 'Dense'].includes(l.getClassName()))
      .map((l) => (l.outputShape as number[])[(l.outputShape as number[]).length - 1]);
    expect(units).toEqual([16, 32, 64, 64, 64, 64, 32, 128, 10]);
    const tiny = keep(buildImageModel('A', { widthMultiplier: 0.001 }));
    expect((tiny.layers[0].outputShape as number[])[3]).toBe(1);
  });

  it('the same seed builds the same weights; another seed different ones', () => {
    const a = keep(buildImageModel('A', { inputShape: [8, 8, 1], widthMultiplier: 0.1, seed: 7 }));
    const b = keep(buildImageModel('A', { inputShape: [8, 8, 1], widthMultiplier: 0.1, seed: 7 }));
    const c = keep(buildImageModel('A', { inputShape: [8, 8, 1], widthMultiplier: 0.1, seed: 8 }));
    const w = (m: Sequential): number[] => Array.from(m.getWeights()[0].dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
  });

  it('rejects bad arguments with RangeErrors naming the value', () => {
    expect(() => buildImageModel('G' as 'A')).toThrow(/arch must be one of .*"A".*got "G"/);
    expect(() => buildImageModel('A', { numClasses: 1 })).toThrow(RangeError);
    expect(() => buildImageModel('A', { numClasses: 0 })).toThrow(/numClasses.*got 0/);
    expect(() => buildImageModel('A', { numClasses: 2.5 })).toThrow(/numClasses must be an integer/);
    expect(() => buildImageModel('A', { widthMultiplier: 0 })).toThrow(/widthMultiplier must be .*> 0, got 0/);
    expect(() => buildImageModel('A', { widthMultiplier: -1 })).toThrow(RangeError);
    expect(() => buildImageModel('A', { inputShape: [32, 32] as unknown as [number, number, number] })).toThrow(/inputShape/);
    expect(() => buildImageModel('A', { inputShape: [0, 32, 3] })).toThrow(/inputShape .*got \[0, 32, 3\]/);
  });
});

describe('buildAudioModel', () => {
  it.each(archs)('architecture %s has the original parameter count and layer shapes', (arch) => {
    const model = keep(buildAudioModel(arch));
    expect(model.countParams()).toBe(audioArchitectures.find((a) => a.name === arch)!.parameters);
    expect(shapes(model)).toEqual(audioShapes[arch]);
  });

  it('parameter counts are exactly the paper\'s; batch norm is over the frequency axis (94 x 4)', () => {
    expect(audioArchitectures.map((a) => a.parameters)).toEqual([101412, 170436, 427492, 808356, 824868, 3715460]);
    const model = keep(buildAudioModel('A'));
    expect(model.layers[1].countParams()).toBe(94 * 4);
  });

  it('takes other spectrogram sizes and class counts', () => {
    const m = keep(buildAudioModel('B', { inputShape: [64, 87, 1], numClasses: 5 }));
    expect(m.outputShape).toEqual([null, 5]);
    const out = tf.tidy(() => (m.predict(tf.zeros([1, 64, 87, 1])) as tf.Tensor).shape);
    expect(out).toEqual([1, 5]);
    // The smallest shapes each depth can take.
    expect(keep(buildAudioModel('F', { inputShape: [12, 12, 1] })).outputShape).toEqual([null, 12]);
    expect(keep(buildAudioModel('A', { inputShape: [24, 24, 2] })).outputShape).toEqual([null, 12]);
    expect(keep(buildAudioModel('B', { inputShape: [48, 48, 1] })).outputShape).toEqual([null, 12]);
  });

  it('rejects input shapes too small for the valid convolutions and pools, before building', () => {
    expect(() => buildAudioModel('A', { inputShape: [23, 173, 1] })).toThrow(/\[23, 173, 1\].*at least 24/);
    expect(() => buildAudioModel('B', { inputShape: [96, 47, 1] })).toThrow(/at least 48/);
    expect(() => buildAudioModel('F', { inputShape: [11, 11, 1] })).toThrow(RangeError);
    expect(() => buildAudioModel('Z' as 'A')).toThrow(/arch must be one of/);
    expect(() => buildAudioModel('A', { numClasses: -3 })).toThrow(RangeError);
    expect(() => buildAudioModel('A', { widthMultiplier: Number.NaN })).toThrow(/widthMultiplier/);
  });

  it('widthMultiplier scales filters and units', () => {
    const m = keep(buildAudioModel('C', { widthMultiplier: 0.25 }));
    const units = m.layers
      .filter((l) => ['Conv2D', 'Dense'].includes(l.getClassName()))
      .map((l) => (l.outputShape as number[])[(l.outputShape as number[]).length - 1]);
    expect(units).toEqual([8, 8, 8, 8, 16, 32, 12]);
  });
});

describe('built models train', () => {
  it('a tiny audio model (batch norm over the frequency axis) takes a training step with the paper optimizer', async () => {
    const { trainClassifier } = await import('../../src/models/train.js');
    const start = tf.memory().numTensors;
    const model = buildAudioModel('B', { inputShape: [48, 50, 1], numClasses: 3, widthMultiplier: 0.125 });
    const data = tf.tidy(() => ({
      x: tf.randomUniform([6, 48, 50, 1], -1, 1, 'float32', 1) as tf.Tensor4D,
      y: tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3), 'float32') as tf.Tensor2D,
    }));
    const before = model.layers[1].getWeights()[0].dataSync().slice();
    const r = await trainClassifier(model, { train: data, validation: data, epochs: 2, batchSize: 3, optimizer: 'paper-audio' });
    expect(r.history).toHaveLength(2);
    expect(Number.isFinite(r.history[1].loss)).toBe(true);
    const gamma = model.layers[1].getWeights()[0].dataSync();
    expect(gamma.length).toBe(46);
    expect(Array.from(gamma)).not.toEqual(Array.from(before));
    model.dispose();
    tf.dispose([data.x, data.y]);
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe("initializer: 'pytorch'", () => {
  it('draws every conv and dense kernel and bias uniform in +-1/sqrt(fan in), seeded, leaking nothing', () => {
    const before = tf.memory().numTensors;
    for (const [family, build] of [['image', buildImageModel], ['audio', buildAudioModel]] as const) {
      const options = { inputShape: [48, 48, 1] as [number, number, number], numClasses: 4, widthMultiplier: 0.25, seed: 3, initializer: 'pytorch' as const };
      const a = keep(build('B', options));
      const b = keep(build('B', options));
      const keras = keep(build('B', { ...options, initializer: 'keras' }));
      for (const [i, layer] of a.layers.entries()) {
        const weights = layer.getWeights();
        if (weights.length === 2 && weights[0].rank >= 2) {
          const [kernel, bias] = weights.map((w) => w.dataSync());
          const fanIn = weights[0].size / weights[0].shape[weights[0].rank - 1];
          const bound = 1 / Math.sqrt(fanIn);
          for (const v of [...kernel, ...bias]) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
          // spread over the interval, not clustered: the largest |value| is near the bound
          expect(Math.max(...Array.from(kernel, Math.abs))).toBeGreaterThan(0.8 * bound);
          expect(Array.from(bias).some((v) => v !== 0), `${family} layer ${i}: bias drawn`).toBe(true);
          expect(Array.from(b.layers[i].getWeights()[0].dataSync())).toEqual(Array.from(kernel));
          expect(Array.from(keras.layers[i].getWeights()[1].dataSync()).every((v) => v === 0)).toBe(true);
        }
      }
    }
    while (built.length) built.pop()!.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses an unknown initializer by name', () => {
    expect(() => buildImageModel('A', { initializer: 'he' as 'keras' })).toThrow(/initializer.*keras.*pytorch.*"he"/s);
  });
});
