/**
 * Where a small model's training step goes: image model A at width 0.25 on 28x28x1 Fashion-MNIST
 * (the time-to-answer sweep's model), batch 64, on `useBackend('auto')` (or `BACKEND`, with
 * `THREADS`). Times `STEPS` steps (default 20, after 3 warm-up steps) of tfjs-layers'
 * `trainOnBatch` and of the lean step (`createTrainStep`), the evaluation of 1,000 images
 * (layers' `evaluate` and `evaluateClassifier`), and prints `tf.profile`'s kernel table of one
 * lean step (kernel time against the step's wall time is the dispatch overhead).
 *
 * Run: `npx tsx bench/train-small.ts` (after `apt-get install dataset-fashion-mnist`; without it
 * random images are used, which time the same).
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadavg } from 'node:os';
import { imagesToTensor, labelsToOneHot } from '../src/data/tensors.js';
import { buildImageModel } from '../src/models/image.js';
import { createTrainStep, evaluateClassifier } from '../src/models/train-step.js';
import { backendThreads, useBackend, type BackendPreference } from '../src/node/backend.js';
import { loadFashionSweepData } from './train-fashion-data.js';

const STEPS = Number(process.env.STEPS ?? 20);
const BATCH = Number(process.env.BATCH ?? 64);
// HELMHOLTZ_WASM_DW=direct|taps|conv and HELMHOLTZ_WASM_WINOGRAD=off choose the kernels (A/B runs).
for (const name of ['HELMHOLTZ_WASM_DW', 'HELMHOLTZ_WASM_WINOGRAD'] as const) {
  const value = process.env[name];
  if (value !== undefined) (globalThis as Record<string, unknown>)[name] = value;
}

async function data(): Promise<{ x: tf.Tensor4D; y: tf.Tensor2D; tx: tf.Tensor4D; ty: tf.Tensor2D }> {
  const d = await loadFashionSweepData();
  if (d === null) {
    return { x: tf.randomUniform([3000, 28, 28, 1]) as tf.Tensor4D, y: tf.oneHot(tf.randomUniform([3000], 0, 10, 'int32') as tf.Tensor1D, 10) as tf.Tensor2D,
      tx: tf.randomUniform([1000, 28, 28, 1]) as tf.Tensor4D, ty: tf.oneHot(tf.randomUniform([1000], 0, 10, 'int32') as tf.Tensor1D, 10) as tf.Tensor2D };
  }
  return { x: imagesToTensor(d.train.images), y: labelsToOneHot(d.train.labels, 10), tx: imagesToTensor(d.test.images), ty: labelsToOneHot(d.test.labels, 10) };
}

function batchAt(x: tf.Tensor4D, y: tf.Tensor2D, i: number): [tf.Tensor4D, tf.Tensor2D] {
  const start = (i * BATCH) % (x.shape[0] - BATCH);
  return [tf.slice(x, start, BATCH), tf.slice(y, start, BATCH)];
}

async function main(): Promise<void> {
  const backend = await useBackend((process.env.BACKEND ?? 'auto') as BackendPreference, { threads: process.env.THREADS ? Number(process.env.THREADS) : 'auto' });
  const { x, y, tx, ty } = await data();
  console.log(`backend ${backend}, ${backendThreads()} thread(s), batch ${BATCH}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const model = () => buildImageModel('A', { inputShape: [28, 28, 1], widthMultiplier: 0.25, seed: 1 });

  // tfjs-layers' trainOnBatch.
  const layers = model();
  layers.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const timeSteps = async (run: (i: number) => Promise<void>): Promise<{ wall: number; cpu: number }> => {
    for (let i = 0; i < 3; i++) await run(i);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < STEPS; i++) await run(i + 3);
    const c = process.cpuUsage(c0);
    return { wall: (performance.now() - t0) / STEPS, cpu: (c.user + c.system) / 1000 / STEPS };
  };
  const fit = await timeSteps(async (i) => {
    const [xb, yb] = batchAt(x, y, i);
    await layers.trainOnBatch(xb, yb);
    tf.dispose([xb, yb]);
  });
  const e0 = performance.now();
  const ec0 = process.cpuUsage();
  const ev = layers.evaluate(tx, ty, { batchSize: BATCH }) as tf.Scalar[];
  await ev[1].data();
  const ec = process.cpuUsage(ec0);
  const evalLayers = `${(performance.now() - e0).toFixed(0)} ms wall, ${((ec.user + ec.system) / 1000).toFixed(0)} ms CPU`;
  tf.dispose(ev);
  layers.dispose();

  // The lean step.
  const lean = model();
  const optimizer = tf.train.adam(1e-3);
  const step = createTrainStep(lean, optimizer);
  const own = await timeSteps(async (i) => {
    const [xb, yb] = batchAt(x, y, i);
    const r = step(xb, yb);
    await r.loss.data();
    tf.dispose([xb, yb, r.loss, r.correct]);
  });
  const evalTimes: string[] = [];
  for (let round = 0; round < 2; round++) {
    for (const b of [BATCH, 250, 1000]) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await evaluateClassifier(lean, tx, ty, b);
      const c = process.cpuUsage(c0);
      if (round === 1) evalTimes.push(`batch ${b}: ${(performance.now() - t0).toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms CPU`);
    }
  }
  console.log(`trainOnBatch: ${fit.wall.toFixed(1)} ms wall, ${fit.cpu.toFixed(1)} ms CPU per step; lean step: ${own.wall.toFixed(1)} ms wall, ${own.cpu.toFixed(1)} ms CPU`);
  console.log(`evaluate 1,000 images: layers ${evalLayers} (batch ${BATCH}); evaluateClassifier ${evalTimes.join(', ')}`);

  const [xb, yb] = batchAt(x, y, 0);
  const t0 = performance.now();
  const profile = await tf.profile(() => {
    const r = step(xb, yb);
    tf.dispose([r.loss, r.correct]);
  });
  const wall = performance.now() - t0;
  const byKernel = new Map<string, { ms: number; n: number }>();
  let total = 0;
  for (const k of profile.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    total += ms;
    const e = byKernel.get(k.name) ?? { ms: 0, n: 0 };
    e.ms += ms;
    e.n++;
    byKernel.set(k.name, e);
  }
  const rows = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
  console.log(`one lean step under tf.profile: ${profile.kernels.length} kernels, ${total.toFixed(1)} ms kernel time, ${wall.toFixed(1)} ms wall (profiling adds a read-back per kernel)`);
  for (const [name, e] of rows.slice(0, 20)) console.log(`  ${name.padEnd(24)} ${String(e.n).padStart(4)} calls ${e.ms.toFixed(1).padStart(7)} ms`);
  tf.dispose([xb, yb, x, y, tx, ty]);
  lean.dispose();
  optimizer.dispose();
}

await main();
