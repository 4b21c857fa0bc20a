import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradients
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { KerasAdadeltaOptimizer, KerasSGDOptimizer, paperOptimizer } from '../../src/models/optimizers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Keras 2.1.5's SGD update, in plain numbers. */
function kerasSgd(p0: number[], grads: (p: number[]) => number[], steps: number, lr: number, m: number, decay: number, nesterov: boolean): number[] {
  const p = [...p0];
  const v = p.map(() => 0);
  for (let t = 0; t < steps; t++) {
    const g = grads(p);
    const rate = lr / (1 + decay * t);
    for (let i = 0; i < p.length; i++) {
      v[i] = m * v[i] - rate * g[i];
      p[i] = nesterov ? p[i] + m * v[i] - rate * g[i] : p[i] + v[i];
    }
  }
  return p;
}

describe('KerasSGDOptimizer', () => {
  it('matches Keras SGD with Nesterov momentum and time decay, step by step', () => {
    const start = tf.memory().numTensors;
    const target = [3, -2, 0.5];
    const gradOf = (p: number[]): number[] => p.map((x, i) => 2 * (x - target[i]));
    for (const nesterov of [true, false]) {
      // A large decay so that it visibly matters.
      const opt = new KerasSGDOptimizer({ learningRate: 0.05, momentum: 0.9, nesterov, decay: 0.3 });
      const w = tf.tidy(() => tf.variable(tf.tensor1d([0, 0, 0])));
      const t = tf.tensor1d(target);
      for (let s = 0; s < 7; s++) opt.minimize(() => tf.sum(tf.square(tf.sub(w, t))));
      const expected = kerasSgd([0, 0, 0], gradOf, 7, 0.05, 0.9, 0.3, nesterov);
      const got = Array.from(w.dataSync());
      got.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 5));
      expect(opt.iterations).toBe(7);
      expect(opt.currentLearningRate()).toBeCloseTo(0.05 / (1 + 0.3 * 7), 12);
      opt.dispose();
      tf.dispose([w, t]);
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('decay changes the result (it is applied, not ignored)', () => {
    const run = (decay: number): number => {
      const opt = new KerasSGDOptimizer({ learningRate: 0.1, decay });
      const w = tf.tidy(() => tf.variable(tf.scalar(1)));
      for (let s = 0; s < 5; s++) opt.minimize(() => tf.square(w) as tf.Scalar);
      const v = w.dataSync()[0];
      opt.dispose();
      w.dispose();
      return v;
    };
    expect(run(0.5)).not.toBeCloseTo(run(0), 4);
  });

  it('serializes through tf.serialization and keeps its config', () => {
    const opt = new KerasSGDOptimizer({ learningRate: 0.02, momentum: 0.8, nesterov: false, decay: 1e-4 });
    expect(opt.getConfig()).toEqual({ learningRate: 0.02, momentum: 0.8, nesterov: false, decay: 1e-4 });
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    expect(map.KerasSGD).toBeDefined();
    const [cls, fromConfig] = map.KerasSGD;
    const copy = fromConfig(cls, opt.getConfig()) as KerasSGDOptimizer;
    expect(copy).toBeInstanceOf(KerasSGDOptimizer);
    expect(copy.getConfig()).toEqual(opt.getConfig());
  });

  it('rejects bad settings', () => {
    expect(() => new KerasSGDOptimizer({ learningRate: -1 })).toThrow(/learningRate/);
    expect(() => new KerasSGDOptimizer({ decay: Number.NaN })).toThrow(/decay/);
  });
});

describe('paperOptimizer', () => {
  it("'image' is SGD lr 0.01, momentum 0.9, Nesterov, decay 1e-6", () => {
    const opt = paperOptimizer('image');
    expect(opt).toBeInstanceOf(KerasSGDOptimizer);
    expect(opt.getConfig()).toEqual({ learningRate: 0.01, momentum: 0.9, nesterov: true, decay: 1e-6 });
    opt.dispose();
  });

  it("'audio' is Adadelta with Keras 2.1.5 defaults (lr 1.0, rho 0.95, epsilon 1e-7)", () => {
    const opt = paperOptimizer('audio');
    expect(opt).toBeInstanceOf(KerasAdadeltaOptimizer);
    expect(opt.getConfig()).toEqual({ learningRate: 1, rho: 0.95, epsilon: 1e-7 });
    // One step from zero accumulators: update = g * sqrt(eps) / sqrt((1 - rho) g^2 + eps).
    const w = tf.tidy(() => tf.variable(tf.scalar(1)));
    opt.minimize(() => tf.mul(w, 2) as tf.Scalar);
    const g = 2;
    const update = (g * Math.sqrt(1e-7)) / Math.sqrt(0.05 * g * g + 1e-7);
    expect(w.dataSync()[0]).toBeCloseTo(1 - update, 6);
    opt.dispose();
    w.dispose();
  });

  it('Keras Adadelta follows Keras 2.1.5 over several steps (tfjs\'s own does not)', () => {
    const start = tf.memory().numTensors;
    const keras = (steps: number): number => {
      let p = 1;
      let a = 0;
      let d = 0;
      for (let t = 0; t < steps; t++) {
        const g = 2; // d/dp of 2p
        a = 0.95 * a + 0.05 * g * g;
        const u = (g * Math.sqrt(d + 1e-7)) / Math.sqrt(a + 1e-7);
        p -= u;
        d = 0.95 * d + 0.05 * u * u;
      }
      return p;
    };
    const run = (opt: tf.Optimizer): number => {
      const w = tf.tidy(() => tf.variable(tf.scalar(1)));
      for (let t = 0; t < 6; t++) opt.minimize(() => tf.mul(w, 2) as tf.Scalar);
      const v = w.dataSync()[0];
      opt.dispose();
      w.dispose();
      return v;
    };
    expect(run(new KerasAdadeltaOptimizer())).toBeCloseTo(keras(6), 6);
    expect(Math.abs(run(tf.train.adadelta(1, 0.95, 1e-7)) - keras(6))).toBeGreaterThan(0.1);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('rejects an unknown kind', () => {
    expect(() => paperOptimizer('video' as 'image')).toThrow(/kind must be one of "image", "audio", got "video"/);
  });
});
