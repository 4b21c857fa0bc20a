/**
 * Per-layer timing of image model A's convolutions on the wasm backend (batch 128, 32x32x3):
 * forward, filter gradient (Conv2DBackpropFilter) and input gradient (Conv2DBackpropInput), with
 * this library's kernels and, for the input gradient, tfjs-backend-wasm's own kernel.
 *
 * Times are the process's CPU milliseconds, best of `repeats` (on a shared machine they vary much
 * less than wall-clock times); with `WASM_THREADS=n` (n > 1) the threaded build runs
 * (`useBackend('wasm', { threads: n })`) and the times are wall-clock milliseconds.
 *
 * Run: `npx tsx bench/train-profile.ts [batch] [repeats]`; `SHAPES=fashion` profiles the sweep's
 * small model (A at width 0.25 on 28x28x1) instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { registerWasmTrainingKernels } from '../src/models/wasm-training/index.js';
import { useBackend } from '../src/node/backend.js';

/** Model A's convolutions: [input size, Cin, Cout, kernel, stride]. */
export const MODEL_A_CONVS: [number, number, number, number, number][] = [
  [32, 3, 32, 3, 1],
  [32, 32, 64, 3, 1],
  [32, 64, 128, 3, 2],
  [16, 128, 128, 3, 1],
  [16, 128, 128, 3, 1],
  [16, 128, 128, 3, 2],
  [8, 128, 128, 3, 1],
  [8, 128, 128, 1, 1],
  [8, 128, 10, 1, 1],
];

/** The time-to-answer sweep's model: A at width 0.25 on 28x28x1 Fashion-MNIST (`SHAPES=fashion`). */
export const FASHION_A_CONVS: [number, number, number, number, number][] = [
  [28, 1, 8, 3, 1],
  [28, 8, 16, 3, 1],
  [28, 16, 32, 3, 2],
  [14, 32, 32, 3, 1],
  [14, 32, 32, 3, 1],
  [14, 32, 32, 3, 2],
  [7, 32, 32, 3, 1],
  [7, 32, 32, 1, 1],
  [7, 32, 10, 1, 1],
];

const threads = Number(process.env.WASM_THREADS ?? 1);
const shapes = process.env.SHAPES === 'fashion' ? FASHION_A_CONVS : MODEL_A_CONVS;

function time(f: () => tf.Tensor, repeats: number): number {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.cpuUsage();
    const w0 = performance.now();
    const y = f();
    y.dataSync();
    const used = process.cpuUsage(t0);
    best = Math.min(best, threads > 1 ? performance.now() - w0 : (used.user + used.system) / 1000);
    y.dispose();
  }
  return best;
}

/** Prints the table; returns the per-batch totals in ms. */
export async function profileModelA(batch = 128, repeats = 3, withOriginal = true): Promise<{ forward: number; filter: number; input: number }> {
  const require = createRequire(import.meta.url);
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  setWasmPaths(path.join(wasmDir, 'dist') + path.sep);
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  if (threads > 1) await useBackend('wasm', { threads });
  const rows: string[] = [];
  const totals = { forward: 0, filter: 0, input: 0, original: 0 };
  rows.push('| layer | shape (in -> out) | GFLOP fwd | forward ms | dW ms | dx ms | tfjs dx ms |');
  rows.push('|---|---|---|---|---|---|---|');
  for (const [i, [size, cin, cout, k, s]] of shapes.entries()) {
    const x = tf.randomNormal([batch, size, size, cin]) as tf.Tensor4D;
    const w = tf.randomNormal([k, k, cin, cout]) as tf.Tensor4D;
    const out = Math.ceil(size / s);
    const dy = tf.randomNormal([batch, out, out, cout]) as tf.Tensor4D;
    const gflop = (2 * batch * out * out * cout * k * k * cin) / 1e9;
    const fwd = time(() => tf.conv2d(x, w, s, 'same'), repeats);
    const attrs = { strides: s, pad: 'same', dataFormat: 'NHWC' };
    const dw = time(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: [k, k, cin, cout] } as never) as tf.Tensor, repeats);
    const dx = time(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: x.shape } as never) as tf.Tensor, repeats);
    let orig = NaN;
    if (withOriginal && original != null) {
      const backend = tf.backend();
      original.setupFunc?.(backend);
      orig = time(() => {
        const info = original.kernelFunc({ inputs: { dy, filter: w }, attrs: { ...attrs, inputShape: x.shape } as never, backend }) as tf.TensorInfo;
        return tf.engine().makeTensorFromTensorInfo(info);
      }, 1);
    }
    totals.forward += fwd;
    totals.filter += dw;
    totals.input += dx;
    totals.original += orig;
    rows.push(`| ${i + 1} conv${k}x${k}/${s} | ${size}x${size}x${cin} -> ${out}x${out}x${cout} | ${gflop.toFixed(2)} | ${fwd.toFixed(0)} | ${dw.toFixed(0)} | ${dx.toFixed(0)} | ${orig.toFixed(0)} |`);
    tf.dispose([x, w, dy]);
  }
  rows.push(`| total | | | ${totals.forward.toFixed(0)} | ${totals.filter.toFixed(0)} | ${totals.input.toFixed(0)} | ${totals.original.toFixed(0)} |`);
  console.log(rows.join('\n'));
  return totals;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // HELMHOLTZ_WASM_DW=conv|taps forces the filter-gradient method (default: automatic).
  if (process.env.HELMHOLTZ_WASM_DW) (globalThis as { HELMHOLTZ_WASM_DW?: string }).HELMHOLTZ_WASM_DW = process.env.HELMHOLTZ_WASM_DW;
  if (process.env.HELMHOLTZ_WASM_DW_ROWS) (globalThis as { HELMHOLTZ_WASM_DW_ROWS?: string }).HELMHOLTZ_WASM_DW_ROWS = process.env.HELMHOLTZ_WASM_DW_ROWS;
  if (process.env.HELMHOLTZ_WASM_DW_WIDE) (globalThis as { HELMHOLTZ_WASM_DW_WIDE?: string }).HELMHOLTZ_WASM_DW_WIDE = process.env.HELMHOLTZ_WASM_DW_WIDE;
  await profileModelA(Number(process.argv[2] ?? 128), Number(process.argv[3] ?? 3), process.argv[4] !== 'noorig');
}
