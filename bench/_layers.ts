import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/node/backend.js';
import { FASHION_A_CONVS } from './train-profile.js';
await useBackend('wasm', { threads: 1 });
const time = (f: () => tf.Tensor) => { let best = Infinity; for (let r = 0; r < 25; r++) { const c0 = process.cpuUsage(); const y = f(); y.dataSync(); const u = process.cpuUsage(c0); best = Math.min(best, (u.user + u.system) / 1000); y.dispose(); } return best; };
const tot = [0, 0, 0];
for (const [size, ci, co, k, s] of FASHION_A_CONVS) {
  const x = tf.randomNormal([64, size, size, ci]) as tf.Tensor4D, w = tf.randomNormal([k, k, ci, co]) as tf.Tensor4D, b = tf.randomNormal([co]) as tf.Tensor1D;
  const out = Math.ceil(size / s); const dy = tf.randomNormal([64, out, out, co]) as tf.Tensor4D;
  const f = time(() => tf.fused.conv2d({ x, filter: w, bias: b, strides: s, pad: k === 1 ? 'valid' : 'same' }));
  const dx = time(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: s, pad: k === 1 ? 'valid' : 'same', dataFormat: 'NHWC', inputShape: [64, size, size, ci] } as never) as tf.Tensor);
  const dw = time(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: s, pad: k === 1 ? 'valid' : 'same', dataFormat: 'NHWC', filterShape: [k, k, ci, co] } as never) as tf.Tensor);
  tot[0] += f; tot[1] += dx; tot[2] += dw;
  console.log(`${size}x${size}x${ci} -> ${co} k${k} s${s}: fwd ${f.toFixed(2)} dx ${dx.toFixed(2)} dW ${dw.toFixed(2)}`);
}
console.log('total fwd', tot[0].toFixed(1), 'dx', tot[1].toFixed(1), 'dW', tot[2].toFixed(1));
