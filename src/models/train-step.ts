/**
 * A lean training step and evaluation on tfjs-core, for a tfjs-layers classifier ending in a
 * softmax: the same loss, gradients and updates as the layers' `compile` + `trainOnBatch` with
 * categorical cross-entropy and accuracy, without their per-call machinery (input
 * standardization, the feed dictionary, the functional executor's bookkeeping, a metric
 * function per output, one read-back per step).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** tfjs-layers' fuzz factor (`epsilon()`, 1e-7): probabilities are clipped to [eps, 1 - eps]. */
const EPSILON = 1e-7;

/**
 * Per-example categorical cross-entropy of probabilities `p` against one-hot `y`, exactly as
 * tfjs-layers computes it: `p` renormalized over the last axis, clipped to [1e-7, 1 - 1e-7],
 * `-sum(y * log p)`.
 */
function crossEntropy(y: tf.Tensor2D, p: tf.Tensor2D): tf.Tensor1D {
  const normalized = tf.div(p, tf.sum(p, -1, true));
  const clipped = tf.clipByValue(normalized, EPSILON, 1 - EPSILON);
  return tf.neg(tf.sum(tf.mul(y, tf.log(clipped)), -1)) as tf.Tensor1D;
}

/** Number of rows whose largest probability is at the one-hot label (ties: the first index, like argMax). */
function correctCount(y: tf.Tensor2D, p: tf.Tensor2D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(y, -1), tf.argMax(p, -1)), 'float32'));
}

/** One training step's results, as scalars on the backend (read them back when needed). */
export interface StepResult {
  /** Mean loss over the batch (regularization losses included). */
  loss: tf.Scalar;
  /** Number of correctly classified examples in the batch. */
  correct: tf.Scalar;
}

/**
 * Returns a function that runs one training step of `model` on a batch with `optimizer`:
 * the forward pass in training mode (dropout active), the mean categorical cross-entropy plus
 * the model's regularization losses, the gradients of every trainable weight
 * (`tf.variableGrads`) and one `optimizer.applyGradients`. It returns the loss and the number of
 * correct predictions as scalars the caller disposes; nothing else survives the step.
 *
 * The same arithmetic as `model.compile({ optimizer, loss: 'categoricalCrossentropy',
 * metrics: ['accuracy'] })` + `model.trainOnBatch(x, y)` (tested: the same loss trajectory on
 * the cpu backend within 1e-5).
 *
 * @example
 * const step = createTrainStep(model, tf.train.adam(1e-3));
 * const { loss, correct } = step(xBatch, yBatch);
 * console.log(loss.dataSync()[0], correct.dataSync()[0]);
 * tf.dispose([loss, correct]);
 */
export function createTrainStep(model: LayersModel, optimizer: tf.Optimizer): (x: tf.Tensor4D, y: tf.Tensor2D) => StepResult {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return (x, y) => {
    let correct: tf.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const p = model.apply(x, { training: true }) as tf.Tensor2D;
      correct = tf.keep(correctCount(y, p));
      let loss = tf.mean(crossEntropy(y, p)) as tf.Scalar;
      for (const extra of model.calculateLosses()) loss = tf.add(loss, extra);
      return loss;
    }, variables);
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
    return { loss: value, correct: correct as unknown as tf.Scalar };
  };
}

/** Loss and accuracy of a model on a labeled set (see {@link evaluateClassifier}). */
export interface Evaluation {
  /** Mean categorical cross-entropy (without regularization losses, as tfjs-layers' `evaluate`). */
  loss: number;
  accuracy: number;
}

/**
 * Mean categorical cross-entropy and accuracy of `model` (inference mode) on `x`/`y`, in
 * batches of `batchSize` sliced from the tensors already on the backend; the sums stay on the
 * backend and are read back once. The same figures as tfjs-layers' `model.evaluate` with
 * categorical cross-entropy and accuracy (up to float rounding of the sums).
 *
 * @example
 * const { loss, accuracy } = await evaluateClassifier(model, test.x, test.y, 256);
 */
export async function evaluateClassifier(model: LayersModel, x: tf.Tensor4D, y: tf.Tensor2D, batchSize: number): Promise<Evaluation> {
  const n = x.shape[0];
  let lossSum: tf.Scalar = tf.scalar(0);
  let correctSum: tf.Scalar = tf.scalar(0);
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const [loss, correct] = tf.tidy(() => {
        const xb = size === n ? x : tf.slice(x, start, size);
        const yb = size === n ? y : tf.slice(y, start, size);
        const p = model.apply(xb, { training: false }) as tf.Tensor2D;
        return [tf.add(lossSum, tf.sum(crossEntropy(yb, p))), tf.add(correctSum, correctCount(yb, p))];
      });
      tf.dispose([lossSum, correctSum]);
      lossSum = loss as tf.Scalar;
      correctSum = correct as tf.Scalar;
    }
    const [l, c] = await Promise.all([lossSum.data(), correctSum.data()]);
    return { loss: l[0] / n, accuracy: c[0] / n };
  } finally {
    tf.dispose([lossSum, correctSum]);
  }
}
