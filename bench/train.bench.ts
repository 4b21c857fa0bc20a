/**
 * Training speed of image model A (32x32x3, 10 classes, batch 128, SGD Nesterov momentum 0.9,
 * lr 0.01) on tfjs's wasm backend with this library's gradient kernels, against PyTorch's CPU
 * training of the same model measured in the same run (`../shared/peers/pytorch_train_speed.py`),
 * and tfjs's pure-JS cpu backend (measured on a small batch: it needs minutes per batch of 128).
 *
 * Bar (issue 7): images/s on the backend `useBackend('auto')` picks (wasm, one thread per core)
 * >= 1/3 of PyTorch's (at PyTorch's default thread count); issue 14: no worse than 0.5x with
 * the step `trainClassifier` runs (the lean step, printed as its own row). Also printed: wasm on one thread, and
 * PyTorch forced to one thread per core.
 * Run: `npm run bench -- train` (per-layer table: `npx tsx bench/train-profile.ts`).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { availableParallelism } from 'node:os';
import { backendThreads, useBackend } from '../src/node/backend.js';
import { createTrainStep } from '../src/models/train-step.js';
import { report, runPythonPeer } from './peer.js';

/** Image model A exactly as the PyTorch peer builds it (Keras 'same' padding). */
export function modelA(inputShape: [number, number, number] = [32, 32, 3], classes = 10): tfl.Sequential {
  const m = tfl.sequential();
  const conv = (filters: number, k = 3, strides = 1, first = false): tfl.layers.Layer =>
    tfl.layers.conv2d({ filters, kernelSize: k, strides, padding: 'same', ...(first ? { inputShape } : {}) });
  const relu = (): tfl.layers.Layer => tfl.layers.activation({ activation: 'relu' });
  m.add(conv(32, 3, 1, true));
  m.add(relu());
  m.add(conv(64));
  m.add(relu());
  m.add(conv(128, 3, 2));
  m.add(tfl.layers.dropout({ rate: 0.5 }));
  m.add(conv(128));
  m.add(relu());
  m.add(conv(128));
  m.add(relu());
  m.add(conv(128, 3, 2));
  m.add(tfl.layers.dropout({ rate: 0.5 }));
  m.add(conv(128));
  m.add(relu());
  m.add(conv(128, 1));
  m.add(relu());
  m.add(conv(classes, 1));
  m.add(tfl.layers.globalAveragePooling2d({}));
  m.add(tfl.layers.activation({ activation: 'softmax' }));
  return m;
}

/**
 * Images per second of `steps` training steps (after `warmup` steps) of model A on `backend`:
 * tfjs-layers' `trainOnBatch`, or with `lean` the step `trainClassifier` runs (`createTrainStep`).
 */
export async function trainImagesPerSecond(backend: string, batch: number, steps: number, warmup: number, lean = false): Promise<number> {
  await tf.setBackend(backend);
  const model = modelA();
  const optimizer = tf.train.momentum(0.01, 0.9, true);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([batch, 32, 32, 3]) as tf.Tensor4D;
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32') as tf.Tensor1D, 10) as tf.Tensor2D;
  const leanStep = createTrainStep(model, optimizer);
  const step = async (): Promise<void> => {
    if (!lean) {
      await model.trainOnBatch(x, y);
      return;
    }
    const r = leanStep(x, y);
    await r.loss.data();
    tf.dispose([r.loss, r.correct]);
  };
  for (let i = 0; i < warmup; i++) await step();
  let best = 0;
  let bestCpu = 0;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await step();
    const c = process.cpuUsage(c0);
    best = Math.max(best, batch / ((performance.now() - t0) / 1000));
    bestCpu = Math.max(bestCpu, batch / ((c.user + c.system) / 1e6));
  }
  // CPU time varies less than wall time on a shared machine (meaningful for one thread).
  console.log(`${backend}${lean ? ', lean step' : ''}: ${bestCpu.toFixed(1)} images per CPU-second (process CPU time, all threads)`);
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  return best;
}

export default async function bench(): Promise<void> {
  // The pure-JS cpu backend first, before any training kernel is registered for it.
  const cpuBatch = 4;
  const cpu = process.env.SKIP_CPU ? NaN : await trainImagesPerSecond('cpu', cpuBatch, 1, 0);
  // What useBackend('auto') picks: wasm on one thread per core (the threaded SIMD build).
  const picked = await useBackend('auto');
  const threads = backendThreads();
  const ours = await trainImagesPerSecond(tf.getBackend(), 128, 3, 1);
  const oursLean = await trainImagesPerSecond(tf.getBackend(), 128, 3, 1, true);
  let single = NaN;
  if (picked === 'wasm' && threads > 1) {
    await useBackend('wasm', { threads: 1 });
    single = await trainImagesPerSecond('wasm', 128, 3, 1);
  }
  // PyTorch as installed: its default thread count (torch.get_num_threads(), 1 on this 2-vCPU
  // machine), which is the bar's reference; then forced to one thread per core, for the record.
  const torch = runPythonPeer('pytorch_train_speed.py');
  const cores = String(availableParallelism());
  const torchAll = cores === '1' ? torch : runPythonPeer('pytorch_train_speed.py', [], { OMP_NUM_THREADS: cores });
  console.log(`tfjs cpu backend, pure JS (batch ${cpuBatch}, 1 step): ${cpu.toFixed(2)} images/s`);
  const name = `${picked}${picked === 'wasm' ? `, ${threads} thread${threads > 1 ? 's' : ''}` : ''}`;
  report(`image model A training on useBackend('auto') = ${name} (batch 128, best of 3 steps)`, ours, 'images/s', torch, 'PyTorch CPU (its default threads)', 1 / 3);
  report(`image model A training on useBackend('auto') = ${name}, trainClassifier's lean step`, oursLean, 'images/s', torch, 'PyTorch CPU (its default threads)', 0.5);
  if (Number.isFinite(single)) report('image model A training on wasm, 1 thread', single, 'images/s', torch, 'PyTorch CPU (its default threads)');
  report(`image model A training on useBackend('auto') = ${name}`, ours, 'images/s', torchAll, `PyTorch CPU (OMP_NUM_THREADS=${cores})`);
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
