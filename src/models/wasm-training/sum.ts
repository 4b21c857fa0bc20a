/**
 * `Sum` for the wasm backend, fast where training needs it: the bias gradients of convolutions
 * and dense layers sum `dy` over its leading axes ([N, H, W, C] -> [C]). tfjs-backend-wasm 4.22
 * first transposes the reduced axes to the end (a full copy of `dy`), then reduces; here the
 * leading axes are summed in place, one row of C values at a time, in double precision (as the
 * cpu backend does): by `colsum` of scripts/wasm/conv-kernel.c (f64x2, on the backend's memory;
 * the same sums bit for bit) where our kernels load, else by a loop here. Every other reduction
 * goes to the backend's own kernel.
 */
import { backend_util, Sum, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { convKernels } from './direct-kernels.js';
import { asWasmBackend, OriginalKernel, WASM } from './wasm-calls.js';

/** The wasm backend's own Sum, for the reductions left to it. */
export const originalSum = new OriginalKernel(Sum);

/**
 * The number of leading axes `axes` covers, or 0 if it is not exactly 0..k-1 (k < rank).
 *
 * @example
 * leadingAxes([0, 1, 2], 4); // 3
 * leadingAxes([1, 2], 4); // 0
 */
export function leadingAxes(axes: number[], rank: number): number {
  const sorted = [...axes].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) if (sorted[i] !== i) return 0;
  return sorted.length < rank ? sorted.length : 0;
}

const kernelFunc = (({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, Sum);
  const { x } = inputs as { x: TensorInfo };
  const { axis, keepDims } = attrs as unknown as SumAttrs;
  const axes = util.parseAxisParam(axis, x.shape);
  const k = x.dtype === 'float32' ? leadingAxes(axes, x.shape.length) : 0;
  if (k === 0) {
    return originalSum.run(backend as object, inputs, attrs as never);
  }
  const rows = util.sizeFromShape(x.shape.slice(0, k));
  const cols = util.sizeFromShape(x.shape.slice(k));
  const outShape = keepDims ? backend_util.expandShapeToKeepDim(x.shape.slice(k), axes) : x.shape.slice(k);
  const out = wasm.makeOutput(outShape, 'float32');
  const kernels = convKernels(backend);
  if (kernels !== null) {
    // The doubles' tensor first (making one may grow the memory), then the offsets.
    const totals = wasm.makeOutput([cols * 2 + 2], 'float32');
    const pTot = (wasm.typedArrayFromHeap(totals).byteOffset + 7) & ~7;
    new Float64Array(kernels.memory.buffer, pTot, cols).fill(0);
    kernels.colsum(wasm.typedArrayFromHeap(x).byteOffset, pTot, rows, cols);
    kernels.finish(pTot, 1, cols, wasm.typedArrayFromHeap(out).byteOffset);
    wasm.disposeData(totals.dataId);
    return out;
  }
  const src = wasm.typedArrayFromHeap(x) as Float32Array;
  const dst = wasm.typedArrayFromHeap(out) as Float32Array;
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) acc[c] += src[base + c];
  }
  dst.set(acc);
  return out;
}) as KernelFunc;

/** Kernel config: `Sum` on 'wasm' (leading-axes reductions here, the rest to the original). */
export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: WASM,
  kernelFunc,
};
