/**
 * The paper's optimizers with Keras 2.1.5 semantics: SGD with Nesterov momentum and time-based
 * learning-rate decay (images), and Adadelta with Keras's defaults (audio).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOneOf } from '../util/checks.js';

/** A named tensor, as tfjs optimizers exchange weights (not exported by tfjs-core's index). */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** Options of {@link KerasSGDOptimizer}; defaults are the paper's image protocol. */
export interface KerasSGDOptions {
  /** Initial learning rate (default 0.01). */
  learningRate?: number;
  /** Momentum (default 0.9). */
  momentum?: number;
  /** Nesterov momentum (default true). */
  nesterov?: boolean;
  /** Time-based decay per step: lr_t = lr / (1 + decay * step) (default 1e-6). */
  decay?: number;
}

/**
 * Stochastic gradient descent exactly as Keras 2.1.5's `SGD(lr, momentum, decay, nesterov)`:
 * at step t (0-based, counted per `applyGradients` call) `lr_t = lr / (1 + decay * t)`,
 * `v = momentum * v - lr_t * g`, and `p += momentum * v - lr_t * g` (Nesterov) or `p += v`.
 * tfjs's own `MomentumOptimizer` has no decay and folds the learning rate out of the velocity,
 * which differs from Keras once the rate changes. Registered with `tf.serialization` as
 * 'KerasSGD'.
 *
 * @example
 * const opt = new KerasSGDOptimizer({ learningRate: 0.01, momentum: 0.9, nesterov: true, decay: 1e-6 });
 * model.compile({ optimizer: opt, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
 */
export class KerasSGDOptimizer extends tf.Optimizer {
  /** Serialization name. */
  static get className(): string {
    return 'KerasSGD';
  }

  readonly learningRate: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly decay: number;
  private velocities: { originalName: string; variable: tf.Variable }[] = [];

  constructor(options: KerasSGDOptions = {}) {
    super();
    this.learningRate = checkNumber('learningRate', options.learningRate ?? 0.01, 0);
    this.momentum = checkNumber('momentum', options.momentum ?? 0.9, 0);
    this.nesterov = options.nesterov ?? true;
    this.decay = checkNumber('decay', options.decay ?? 1e-6, 0);
  }

  /** The learning rate the next step will use: lr / (1 + decay * iterations). */
  currentLearningRate(): number {
    return this.learningRate / (1 + this.decay * this.iterations);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((item) => item.name)
      : Object.keys(variableGradients);
    const lr = this.currentLearningRate();
    const registered = tf.engine().registeredVariables;
    names.forEach((name, i) => {
      const value = registered[name];
      const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
      if (gradient == null || value == null) return;
      if (this.velocities[i] == null) {
        this.velocities[i] = {
          originalName: `${name}/momentum`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
      }
      const velocity = this.velocities[i].variable;
      tf.tidy(() => {
        const step = tf.mul(gradient, -lr);
        const v = tf.add(tf.mul(velocity, this.momentum), step);
        const next = this.nesterov ? tf.add(tf.add(value, tf.mul(v, this.momentum)), step) : tf.add(value, v);
        velocity.assign(v);
        value.assign(next);
      });
    });
    this.incrementIterations();
  }

  override dispose(): void {
    tf.dispose(this.velocities.map((v) => v.variable));
    this.velocities = [];
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [await this.saveIterations()].concat(this.velocities.map((v) => ({ name: v.originalName, tensor: v.variable })));
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    tf.dispose(this.velocities.map((v) => v.variable));
    this.velocities = rest.map((v) => ({ originalName: v.name, variable: v.tensor.variable(false) }));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov, decay: this.decay };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config as KerasSGDOptions);
  }
}
tf.serialization.registerClass(KerasSGDOptimizer);

/**
 * A fresh optimizer with the paper's settings. The caller owns it (dispose it, or let
 * `trainClassifier` do so when it created it from a name).
 * - 'image': Keras SGD, lr 0.01, momentum 0.9, Nesterov, decay 1e-6 per step ({@link KerasSGDOptimizer}).
 * - 'audio': Adadelta with Keras 2.1.5's defaults, lr 1.0, rho 0.95, epsilon 1e-7 (tfjs's
 *   defaults are lr 0.001 and a backend-dependent epsilon; its update rule is Keras's).
 *
 * @example
 * const model = buildImageModel('A');
 * model.compile({ optimizer: paperOptimizer('image'), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
 */
export function paperOptimizer(kind: 'image' | 'audio'): tf.Optimizer {
  checkOneOf('kind', kind, ['image', 'audio']);
  if (kind === 'image') return new KerasSGDOptimizer({ learningRate: 0.01, momentum: 0.9, nesterov: true, decay: 1e-6 });
  return tf.train.adadelta(1.0, 0.95, 1e-7);
}
