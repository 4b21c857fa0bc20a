/**
 * A/B of the wasm filter-gradient methods on the sweep's small model (A at width 0.25 on 28x28x1,
 * `bench/train-profile.ts`'s FASHION_A_CONVS) in one process: per layer, the best CPU ms of
 * `repeats` calls with each method ('taps': im2col GEMMs, 'conv': one dilated convolution per
 * chunk, 'direct': our kernel; `METHODS`, default 'taps,conv'), alternating, so that the machine's
 * load hits both alike. With `THREADS` > 1 (wasm threads) it times wall ms instead of CPU ms.
 *
 * Run: `npx tsx bench/train-dw-ab.ts [batch] [repeats]` (`SHAPES=cifar`: the full model A at 32x32x3)
 */
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/node/backend.js';
import { FASHION_A_CONVS, MODEL_A_CONVS } from './train-profile.js';

const batch = Number(process.argv[2] ?? 64);
const repeats = Number(process.argv[3] ?? 7);
const threads = Number(process.env.THREADS ?? 1);
await useBackend('wasm', { threads });
const g = globalThis as { HELMHOLTZ_WASM_DW?: string };
const methods = (process.env.METHODS ?? 'taps,conv').split(',');
const totals = methods.map(() => 0);
for (const [i, [size, cin, cout, k, s]] of (process.env.SHAPES === 'cifar' ? MODEL_A_CONVS : FASHION_A_CONVS).entries()) {
  const x = tf.randomNormal([batch, size, size, cin]) as tf.Tensor4D;
  const out = Math.ceil(size / s);
  const dy = tf.randomNormal([batch, out, out, cout]) as tf.Tensor4D;
  const attrs = { strides: s, pad: 'same', dataFormat: 'NHWC', filterShape: [k, k, cin, cout] };
  const best = methods.map(() => Infinity);
  for (let r = 0; r < repeats; r++) {
    for (const [m, method] of methods.entries()) {
      g.HELMHOLTZ_WASM_DW = method;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const y = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor;
      y.dataSync();
      const c = process.cpuUsage(c0);
      best[m] = Math.min(best[m], threads > 1 ? performance.now() - t0 : (c.user + c.system) / 1000);
      y.dispose();
    }
  }
  best.forEach((b, m) => (totals[m] += b));
  console.log(`layer ${i + 1} ${size}x${size}x${cin} -> ${cout} k${k} s${s}: ${methods.map((m, j) => `${m} ${best[j].toFixed(1)}`).join(', ')} ms`);
  tf.dispose([x, dy]);
}
console.log(`total: ${methods.map((m, j) => `${m} ${totals[j].toFixed(1)}`).join(', ')} ms ${threads > 1 ? `wall, ${threads} threads` : 'CPU'} (batch ${batch})`);
