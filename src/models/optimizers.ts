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

/**
 * Calls `visit` for each variable that has a gradient, in the order the gradients come (the
 * index `i` is the position in that order, which the optimizers use for their slot variables).
 */
function eachVariableGradient(
  variableGradients: tf.NamedTensorMap | NamedTensor[],
  visit: (name: string, value: tf.Variable, gradient: tf.Tensor, i: number) => void,
): void {
  const names = Array.isArray(variableGradients)
    ? variableGradients.map((item) => item.name)
    : Object.keys(variableGradients);
  const registered = tf.engine().registeredVariables;
  names.forEach((name, i) => {
    const value = registered[name];
    const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
    if (gradient == null || value == null) return;
    visit(name, value, gradient, i);
  });
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
    const lr = this.currentLearningRate();
    eachVariableGradient(variableGradients, (name, value, gradient, i) => {
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

/** Options of {@link KerasAdadeltaOptimizer}; defaults are Keras 2.1.5's (the paper's audio protocol). */
export interface KerasAdadeltaOptions {
  /** Learning rate (default 1.0). */
  learningRate?: number;
  /** Decay of the running averages (default 0.95). */
  rho?: number;
  /** Fuzz factor (default 1e-7, Keras's `K.epsilon()`). */
  epsilon?: number;
}

/**
 * Adadelta exactly as Keras 2.1.5: `a = rho a + (1 - rho) g^2`,
 * `u = g sqrt(d + eps) / sqrt(a + eps)` with the NEW `a`, `p -= lr u`,
 * `d = rho d + (1 - rho) u^2`. tfjs 4.22's `AdadeltaOptimizer` divides by the previous `a`
 * instead, so its first step is `lr * g` (a full gradient step, 1000x Keras's at lr 1 and
 * eps 1e-7). Registered with `tf.serialization` as 'KerasAdadelta'.
 *
 * @example
 * const opt = new KerasAdadeltaOptimizer(); // lr 1.0, rho 0.95, epsilon 1e-7
 */
export class KerasAdadeltaOptimizer extends tf.Optimizer {
  /** Serialization name. */
  static get className(): string {
    return 'KerasAdadelta';
  }

  readonly learningRate: number;
  readonly rho: number;
  readonly epsilon: number;
  private slots: { grad: tf.Variable; update: tf.Variable; name: string }[] = [];

  constructor(options: KerasAdadeltaOptions = {}) {
    super();
    this.learningRate = checkNumber('learningRate', options.learningRate ?? 1.0, 0);
    this.rho = checkNumber('rho', options.rho ?? 0.95, 0, 1);
    this.epsilon = checkNumber('epsilon', options.epsilon ?? 1e-7, 0);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    eachVariableGradient(variableGradients, (name, value, gradient, i) => {
      if (this.slots[i] == null) {
        this.slots[i] = {
          name,
          grad: tf.tidy(() => tf.zerosLike(value).variable(false)),
          update: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
      }
      const { grad, update } = this.slots[i];
      tf.tidy(() => {
        const a = tf.add(tf.mul(grad, this.rho), tf.mul(tf.square(gradient), 1 - this.rho));
        const u = tf.div(tf.mul(gradient, tf.sqrt(tf.add(update, this.epsilon))), tf.sqrt(tf.add(a, this.epsilon)));
        const d = tf.add(tf.mul(update, this.rho), tf.mul(tf.square(u), 1 - this.rho));
        grad.assign(a);
        update.assign(d);
        value.assign(tf.sub(value, tf.mul(u, this.learningRate)));
      });
    });
    this.incrementIterations();
  }

  override dispose(): void {
    tf.dispose(this.slots.flatMap((s) => [s.grad, s.update]));
    this.slots = [];
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [
      await this.saveIterations(),
      ...this.slots.map((s) => ({ name: `${s.name}/accum_grad`, tensor: s.grad })),
      ...this.slots.map((s) => ({ name: `${s.name}/accum_var`, tensor: s.update })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const half = rest.length / 2;
    this.dispose();
    for (let i = 0; i < half; i++) {
      this.slots.push({
        name: rest[i].name.replace(/\/accum_grad$/, ''),
        grad: rest[i].tensor.variable(false),
        update: rest[half + i].tensor.variable(false),
      });
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config as KerasAdadeltaOptions);
  }
}
tf.serialization.registerClass(KerasAdadeltaOptimizer);

/**
 * A fresh optimizer with the paper's settings. The caller owns it (dispose it, or let
 * `trainClassifier` do so when it created it from a name).
 * - 'image': Keras SGD, lr 0.01, momentum 0.9, Nesterov, decay 1e-6 per step ({@link KerasSGDOptimizer}).
 * - 'audio': Keras Adadelta with Keras 2.1.5's defaults, lr 1.0, rho 0.95, epsilon 1e-7
 *   ({@link KerasAdadeltaOptimizer}: tfjs's own Adadelta divides by the previous gradient average).
 *
 * @example
 * const model = buildImageModel('A');
 * model.compile({ optimizer: paperOptimizer('image'), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
 */
export function paperOptimizer(kind: 'image' | 'audio'): tf.Optimizer {
  checkOneOf('kind', kind, ['image', 'audio']);
  if (kind === 'image') return new KerasSGDOptimizer({ learningRate: 0.01, momentum: 0.9, nesterov: true, decay: 1e-6 });
  return new KerasAdadeltaOptimizer({ learningRate: 1.0, rho: 0.95, epsilon: 1e-7 });
}
