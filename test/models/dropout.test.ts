/**
 * Our dropout layer (src/models/dropout.ts) against tfjs-layers' own: the same class name and
 * configuration, and bit for bit the same outputs and gradients for the same seed, rates and
 * noise shapes, on the default backend and on cpu; nothing leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dropout, dropoutLayer, dropoutMask } from '../../src/models/dropout.js';
import { initBackends } from './wasm-training-setup.js';

beforeAll(async () => {
  await initBackends();
});

const values = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3);

describe('dropoutLayer', () => {
  it('is a Dropout to tfjs-layers: class name and configuration', () => {
    const ours = dropoutLayer({ rate: 0.3, seed: 5, noiseShape: [null, 1, 1, null] });
    const theirs = tfl.layers.dropout({ rate: 0.3, seed: 5, noiseShape: [null, 1, 1, null] as unknown as number[] });
    expect(ours.getClassName()).toBe('Dropout');
    const { name: _a, ...oursConfig } = ours.getConfig();
    const { name: _b, ...theirsConfig } = theirs.getConfig();
    expect(oursConfig).toEqual(theirsConfig);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`gives tfjs-layers' outputs and gradients bit for bit (${backend} backend)`, async () => {
      await tf.setBackend(backend);
      {
        const start = tf.memory().numTensors;
        for (const [rate, seed, noiseShape] of [[0.5, 7, undefined], [0.6, 123456, undefined], [0.2, 99, [null, 1, 1, null]], [0.35, 3, undefined]] as const) {
          const shape = [3, 5, 6, 4];
          const x = tf.tensor4d(values(3 * 5 * 6 * 4), shape as [number, number, number, number]);
          const args = { rate, seed, noiseShape: noiseShape === undefined ? undefined : [...noiseShape] };
          const ours = dropoutLayer(args);
          const theirs = tfl.layers.dropout(args as { rate: number; seed: number; noiseShape?: number[] });
          const run = (layer: tfl.layers.Layer) =>
            tf.tidy(() => {
              const y = layer.apply(x, { training: true }) as tf.Tensor;
              const g = tf.grad((v) => tf.sum(tf.mul(layer.apply(v, { training: true }) as tf.Tensor, v)))(x);
              return [y, g];
            });
          const [y1, g1] = run(ours);
          const [y2, g2] = run(theirs);
          expect(Array.from(await y1.data())).toEqual(Array.from(await y2.data()));
          expect(Array.from(await g1.data())).toEqual(Array.from(await g2.data()));
          // Inference: the input's values (tfjs-layers' apply copies an input returned as is).
          const same = ours.apply(x, { training: false }) as tf.Tensor;
          expect(Array.from(await same.data())).toEqual(Array.from(await x.data()));
          tf.dispose([x, y1, g1, y2, g2, same]);
        }
        expect(tf.memory().numTensors).toBe(start);
      }
    });
  }

  it('refuses a rate outside [0, 1), naming it', () => {
    expect(() => dropoutLayer({ rate: 1 })).toThrow(/rate must be in \[0, 1\), got 1/);
    expect(() => dropoutLayer({ rate: -0.1 })).toThrow(RangeError);
  });

  it('draws 0s and 1 / keep, about a `rate` share of zeros', () => {
    const m = dropoutMask(10000, 0.5, 1);
    expect(new Set(m)).toEqual(new Set([0, 2]));
    expect(Math.abs(m.filter((v) => v === 0).length / 10000 - 0.5)).toBeLessThan(0.02);
    expect(new Dropout({ rate: 0.5 }).getClassName()).toBe('Dropout');
  });
});
