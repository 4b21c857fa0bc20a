/**
 * `MaxPoolGrad` for the wasm backend. tfjs-backend-wasm 4.22's kernel starts each window's
 * maximum at `std::numeric_limits<float>::min()` (the smallest positive float, not the lowest
 * value), so a window whose inputs are all negative sends its gradient to the window's first
 * element instead of its maximum. The audio models pool ELU outputs, which are negative half the
 * time: their gradients came out wrong. This kernel routes each output gradient to the first
 * maximum of its window (ties and NaN as the cpu backend), channels innermost (NHWC).
 */
import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend, WASM } from './wasm-calls.js';

const kernelFunc = (({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, MaxPoolGrad);
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const out = wasm.makeOutput(input.shape, 'float32');
  const x = wasm.typedArrayFromHeap(input) as Float32Array;
  const g = wasm.typedArrayFromHeap(dy) as Float32Array;
  const dx = wasm.typedArrayFromHeap(out) as Float32Array;
  dx.fill(0);
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < ho; i++) {
      const r0 = Math.max(0, i * sh - top);
      const r1 = Math.min(h, i * sh - top + fh);
      for (let j = 0; j < wo; j++) {
        const c0 = Math.max(0, j * sw - left);
        const c1 = Math.min(w, j * sw - left + fw);
        best.fill(-Infinity);
        where.fill(-1);
        for (let r = r0; r < r1; r++) {
          for (let q = c0; q < c1; q++) {
            const base = ((b * h + r) * w + q) * c;
            for (let k = 0; k < c; k++) {
              const v = x[base + k];
              if (v > best[k]) {
                best[k] = v;
                where[k] = base + k;
              }
            }
          }
        }
        const gBase = ((b * ho + i) * wo + j) * c;
        for (let k = 0; k < c; k++) {
          const p = where[k];
          if (p >= 0) dx[p] += g[gBase + k];
        }
      }
    }
  }
  return out;
}) as KernelFunc;

/** Kernel config: `MaxPoolGrad` on 'wasm' (replaces the backend's, wrong for negative inputs). */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: WASM,
  kernelFunc,
};
